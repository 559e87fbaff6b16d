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

    /// <summary>
    /// The shortest time between two fetches, all kids together: a token with an unknown kid refetches at once when the
    /// last fetch is older, so a key rotated in is accepted on its first token, and a flood of forged kids costs one
    /// fetch per interval.
    /// </summary>
    public TimeSpan JwksMinimumRefetchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a kid that a fetch showed absent triggers no further fetch (one forged kid repeated costs nothing).</summary>
    public TimeSpan JwksMissingKidRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Public verification keys by kid, as PEM, when keys are distributed through configuration instead of JWKS.</summary>
    public Dictionary<string, string> PublicKeys { get; set; } = new(StringComparer.Ordinal);
}
