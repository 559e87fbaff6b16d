using System.Reflection;
using Microsoft.Extensions.Options;

namespace Shop.Auth.Passwords;

/// <summary>
/// NIST SP 800-63B style rules: a minimum length, a maximum that bounds hashing cost, no password from the list of the
/// most common ones, none built from the account's own email. No composition rules.
/// </summary>
public sealed class PasswordPolicy(IOptions<AuthOptions> options)
{
    private static readonly Lazy<HashSet<string>> s_common = new(LoadCommonPasswords);

    public IReadOnlyList<string> Check(string password, string email)
    {
        var rules = options.Value.Passwords;
        var problems = new List<string>();
        if (password.Length < rules.MinimumLength)
        {
            problems.Add($"must be at least {rules.MinimumLength} characters long");
        }

        if (password.Length > rules.MaximumLength)
        {
            problems.Add($"must be at most {rules.MaximumLength} characters long");
        }

        if (password.Any(char.IsControl))
        {
            problems.Add("must not contain control characters");
        }

        var lowered = password.ToLowerInvariant();
        if (s_common.Value.Contains(lowered) || s_common.Value.Contains(StripTrailingDigits(lowered)) || IsOneRepeatedCharacter(password))
        {
            problems.Add("is too common; choose a passphrase of several unrelated words");
        }

        var localPart = email.Split('@')[0].ToLowerInvariant();
        if (localPart.Length >= 4 && lowered.Contains(localPart, StringComparison.Ordinal))
        {
            problems.Add("must not contain your email address");
        }

        return problems;
    }

    private static bool IsOneRepeatedCharacter(string password) => password.Length > 0 && password.All(c => c == password[0]);

    private static string StripTrailingDigits(string password) => password.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '!', '.');

    private static HashSet<string> LoadCommonPasswords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Shop.Auth.Passwords.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.Trim().ToLowerInvariant());
            }
        }

        return set;
    }
}
