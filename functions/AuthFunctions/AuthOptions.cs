namespace Shop.Auth;

/// <summary>Section <c>Auth</c>, the parts only AuthFunctions reads (validation settings live in AccessTokenOptions).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Private keys; the first signs, the others only verify (keys being rotated in or out).</summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>Development only: without configured keys, sign with a key generated at start (lost on restart).</summary>
    public bool AllowEphemeralSigningKey { get; set; }

    public PasswordOptions Passwords { get; set; } = new();

    public LockoutOptions Lockout { get; set; } = new();
}

public sealed class SigningKeyOptions
{
    public string Kid { get; set; } = "";

    /// <summary>An RSA private key as PEM (or base64 of the PEM, which survives environment variables).</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Or a file holding the PEM, e.g. a mounted Kubernetes secret.</summary>
    public string? PrivateKeyFile { get; set; }
}

/// <summary>Argon2id parameters; OWASP's minimum is m=19 MiB, t=2, p=1. Raising them rehashes on next login.</summary>
public sealed class PasswordOptions
{
    public int MemoryKiB { get; set; } = 19 * 1024;

    public int Iterations { get; set; } = 2;

    public int Parallelism { get; set; } = 1;

    public int MinimumLength { get; set; } = 12;

    /// <summary>Bounded so a huge password cannot be used to burn CPU.</summary>
    public int MaximumLength { get; set; } = 128;
}

/// <summary>Brute-force protection; see LoginThrottle for why the hard lockout is per account and client pair.</summary>
public sealed class LockoutOptions
{
    /// <summary>Failures of one client against one account before that pair is locked (doubling from FirstLockout).</summary>
    public int FailuresPerAccountAndClient { get; set; } = 5;

    /// <summary>Failures of one client across all accounts before that client is locked (doubling from FirstLockout).</summary>
    public int FailuresPerClient { get; set; } = 20;

    /// <summary>Failures against one account from all clients before each further failure slows its own client down.</summary>
    public int FailuresPerAccountBeforeSlowDown { get; set; } = 50;

    /// <summary>How long a client that fails against an account past FailuresPerAccountBeforeSlowDown must wait.</summary>
    public TimeSpan AccountSlowDown { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaximumLockout { get; set; } = TimeSpan.FromMinutes(15);
}
