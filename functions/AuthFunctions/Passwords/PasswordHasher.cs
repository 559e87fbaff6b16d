using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Shop.Auth.Passwords;

/// <summary>
/// Argon2id hashes in the PHC string format (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), so the parameters
/// travel with each hash and can be raised without invalidating existing passwords.
/// </summary>
public sealed class PasswordHasher(IOptions<AuthOptions> options)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Prefix = "$argon2id$v=19$";

    private readonly Lazy<string> _decoy = new(() => HashWith(Guid.NewGuid().ToString("N"), Current(options)));

    /// <summary>A hash of nothing anyone knows, verified when an account does not exist so timing reveals nothing.</summary>
    public string Decoy => _decoy.Value;

    public string Hash(string password) => HashWith(password, Current(options));

    public PasswordCheck Verify(string password, string encodedHash)
    {
        if (!TryParse(encodedHash, out var parameters, out var salt, out var expected))
        {
            return PasswordCheck.Failed;
        }

        var actual = Compute(password, salt, parameters, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Failed;
        }

        return parameters == Current(options) ? PasswordCheck.Valid : PasswordCheck.ValidButNeedsRehash;
    }

    private static Argon2Parameters Current(IOptions<AuthOptions> options)
    {
        var passwords = options.Value.Passwords;
        return new Argon2Parameters(passwords.MemoryKiB, passwords.Iterations, passwords.Parallelism);
    }

    private static string HashWith(string password, Argon2Parameters parameters)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, parameters, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}m={parameters.MemoryKiB},t={parameters.Iterations},p={parameters.Parallelism}${Encode(salt)}${Encode(hash)}");
    }

    private static byte[] Compute(string password, byte[] salt, Argon2Parameters parameters, int length)
    {
        using var argon2 = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = parameters.MemoryKiB,
            Iterations = parameters.Iterations,
            DegreeOfParallelism = parameters.Parallelism,
        };
        return argon2.GetBytes(length);
    }

    private static bool TryParse(string encoded, out Argon2Parameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = default;
        salt = hash = [];
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            return false;
        }

        var values = parts[0].Split(',')
            .Select(p => p.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1, StringComparer.Ordinal);
        if (!values.TryGetValue("m", out var m) || !values.TryGetValue("t", out var t) || !values.TryGetValue("p", out var p)
            || m <= 0 || t <= 0 || p <= 0)
        {
            return false;
        }

        parameters = new Argon2Parameters(m, t, p);
        return TryDecode(parts[1], out salt) && TryDecode(parts[2], out hash) && hash.Length > 0;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }

    private readonly record struct Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism);
}

public enum PasswordCheck
{
    Failed,
    Valid,
    ValidButNeedsRehash,
}
