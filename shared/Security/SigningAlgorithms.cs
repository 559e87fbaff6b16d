using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Security;

/// <summary>The only algorithm Shop signs or accepts: pinned, so `none` and HMAC-with-the-public-key never verify.</summary>
public static class SigningAlgorithms
{
    public const string Pinned = SecurityAlgorithms.RsaSha256;

    public static readonly IReadOnlyList<string> Accepted = [Pinned];
}
