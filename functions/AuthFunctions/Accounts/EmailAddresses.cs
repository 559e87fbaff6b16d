using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Shop.Auth.Accounts;

/// <summary>
/// One normalisation for every email that reaches the store, so uniqueness means what users expect and one person
/// cannot hold a second account under a look-alike address: Unicode NFKC (full-width and other compatibility forms
/// become their plain letters), then lower case, then the domain as IDNA ASCII (punycode). Sign-up refuses a local
/// part that is not ASCII after that (a Cyrillic "а" or a dotless "ı" looks like a Latin letter but is not one).
/// </summary>
public static class EmailAddresses
{
    public const int MaximumLength = 254;

    private static readonly IdnMapping s_idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// The canonical form used as the user's <c>_id</c> and for every lookup; never throws, so a login with any input
    /// gets the usual answer. ToLowerInvariant is the nearest .NET has to Unicode case folding (it is simple lower-case
    /// mapping: "ß" stays "ß"); as the local part must be ASCII and the domain goes through IDNA, the gap does not
    /// reach a stored address.
    /// </summary>
    public static string Normalize(string email)
    {
        var folded = Fold(email, NormalizationForm.FormKC);
        var at = folded.LastIndexOf('@');
        if (at < 0 || Ascii.IsValid(folded.AsSpan(at + 1)))
        {
            return folded;
        }

        return TryToAscii(folded[(at + 1)..], out var domain) ? folded[..(at + 1)] + domain : folded;
    }

    /// <summary>
    /// The normalisation used before NFKC and IDNA (accounts made then are stored under it). Only for finding those
    /// accounts at login; nothing new is ever stored under it.
    /// </summary>
    public static string LegacyNormalize(string email) => Fold(email, NormalizationForm.FormC);

    /// <summary>The forms a login looks up, the legacy one first: see UserStore.FindForLoginAsync.</summary>
    public static IReadOnlyList<string> LoginForms(string email) =>
        [.. new[] { LegacyNormalize(email), Normalize(email) }.Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Refuses to run without ICU: in .NET's invariant globalization mode NFKC is silently a no-op, and sign-up would
    /// accept look-alikes again. Called once at start.
    /// </summary>
    public static void EnsureUnicodeNormalizationWorks()
    {
        if (!string.Equals("\uFF41".Normalize(NormalizationForm.FormKC), "a", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "Unicode normalisation is unavailable (InvariantGlobalization is on or ICU is missing); AuthFunctions needs it for emails.");
        }
    }

    public static bool TryNormalize(string? email, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(email) || email.Length > MaximumLength || email.Any(char.IsControl))
        {
            return false;
        }

        var candidate = Normalize(email);
        if (!Ascii.IsValid(candidate)
            || candidate.Length > MaximumLength
            || !MailAddress.TryCreate(candidate, out var address)
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

    // string.Normalize throws on unpaired surrogates; such input is left for TryNormalize to refuse as non-ASCII.
    private static string Fold(string email, NormalizationForm form)
    {
        var trimmed = email.Trim();
        try
        {
            return trimmed.Normalize(form).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return trimmed.ToLowerInvariant();
        }
    }

    private static bool TryToAscii(string domain, [NotNullWhen(true)] out string? ascii)
    {
        try
        {
            ascii = s_idn.GetAscii(domain).ToLowerInvariant();
            return true;
        }
        catch (ArgumentException)
        {
            ascii = null;
            return false;
        }
    }
}
