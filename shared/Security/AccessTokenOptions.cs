namespace Shop.Shared.Security;

/// <summary>How access tokens are validated by every app (section <c>Auth</c>).</summary>
public sealed class AccessTokenOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "shop-auth";

    public string Audience { get; set; } = "shop-api";

    /// <summary>Tolerated clock difference between machines; RFC 8725 asks for it to be small.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where apps other than AuthFunctions fetch the public keys when none are configured.</summary>
    public Uri? JwksUrl { get; set; }

    /// <summary>How long a fetched key set is trusted before it is fetched again.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The shortest time between two fetches triggered by an unknown kid (stops kid-spraying from hammering auth).</summary>
    public TimeSpan JwksMinimumRefetchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Public verification keys by kid, as PEM, when keys are distributed through configuration instead of JWKS.</summary>
    public Dictionary<string, string> PublicKeys { get; set; } = new(StringComparer.Ordinal);
}
