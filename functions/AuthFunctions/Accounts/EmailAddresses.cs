using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using System.Text;

namespace Shop.Auth.Accounts;

/// <summary>One normalisation for every email that reaches the store, so uniqueness means what users expect.</summary>
public static class EmailAddresses
{
    public const int MaximumLength = 254;

    public static string Normalize(string email) => email.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    public static bool TryNormalize(string? email, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(email) || email.Length > MaximumLength || email.Any(char.IsControl))
        {
            return false;
        }

        var candidate = Normalize(email);
        if (!MailAddress.TryCreate(candidate, out var address)
            || !string.Equals(address.Address, candidate, StringComparison.Ordinal)
            || address.DisplayName.Length > 0
            || address.User.Length is 0 or > 64
            || !address.Host.Contains('.', StringComparison.Ordinal)
            || address.Host.StartsWith('.') || address.Host.EndsWith('.')
            || candidate.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        normalized = candidate;
        return true;
    }
}
