using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Security;

/// <summary>
/// The one access-token check of all three apps (RFC 8725): RS256 only, a known kid, issuer, audience, lifetime with a
/// small skew and the access-token type. Anything else, including `alg: none` and HMAC tokens keyed with the public key,
/// is rejected.
/// </summary>
public sealed class AccessTokenValidator(
    ISigningKeySource keys,
    IOptions<AccessTokenOptions> options,
    TimeProvider timeProvider,
    ILogger<AccessTokenValidator> logger)
{
    public const int MaximumTokenLength = 8 * 1024;

    // MapInboundClaims stays off (JsonWebTokenHandler's default): claims keep their JWT names, so `sub` is read as `sub`.
    private readonly JsonWebTokenHandler _handler = new()
    {
        MapInboundClaims = false,
        MaximumTokenSizeInBytes = MaximumTokenLength,
    };

    public async Task<Caller?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > MaximumTokenLength || !_handler.CanReadToken(token))
        {
            return null;
        }

        string? kid;
        try
        {
            kid = _handler.ReadJsonWebToken(token).Kid;
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenException or FormatException)
        {
            return null;
        }

        if (string.IsNullOrEmpty(kid) || kid.Length > 128)
        {
            return null;
        }

        var key = await keys.FindAsync(kid, cancellationToken);
        if (key is null)
        {
            logger.LogInformation("Rejected an access token signed with unknown key {Kid}", kid.Length > 32 ? kid[..32] : kid);
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(key));
        if (!result.IsValid)
        {
            logger.LogInformation("Rejected an access token: {Reason}", result.Exception?.GetType().Name);
            return null;
        }

        return ToCaller(result.ClaimsIdentity);
    }

    private TokenValidationParameters Parameters(SecurityKey key)
    {
        var settings = options.Value;
        return new TokenValidationParameters
        {
            ValidAlgorithms = SigningAlgorithms.Accepted,
            ValidTypes = [ShopClaims.TokenType],
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, p) => IsWithinLifetime(notBefore, expires, p.ClockSkew),
            NameClaimType = ShopClaims.Subject,
            RoleClaimType = ShopClaims.Role,
        };
    }

    // The handler reads the machine clock; this delegate makes it read the injected TimeProvider (tests move time).
    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        return expires is not null
            && now < expires.Value.ToUniversalTime() + skew
            && (notBefore is null || now >= notBefore.Value.ToUniversalTime() - skew);
    }

    private static Caller? ToCaller(ClaimsIdentity identity)
    {
        var subject = identity.FindFirst(ShopClaims.Subject)?.Value;
        var email = identity.FindFirst(ShopClaims.Email)?.Value;
        if (string.IsNullOrEmpty(subject) || email is null)
        {
            return null;
        }

        var roles = identity.FindAll(ShopClaims.Role).Select(c => c.Value).ToArray();
        return new Caller(subject, email, roles);
    }
}
