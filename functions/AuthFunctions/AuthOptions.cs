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
