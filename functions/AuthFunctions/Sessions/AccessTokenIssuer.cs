using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Auth.Accounts;
using Shop.Auth.Keys;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Auth.Sessions;

/// <summary>Short-lived RS256 access tokens (typ at+jwt, RFC 9068) with the signing key's kid.</summary>
public sealed class AccessTokenIssuer(
    SigningKeyRing keys,
    IOptions<AuthOptions> authOptions,
    IOptions<AccessTokenOptions> tokenOptions,
    TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, int ExpiresInSeconds) Issue(User user)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = authOptions.Value.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(ShopClaims.Subject, user.UserId),
            new(ShopClaims.Email, user.Email),
            new(JwtRegisteredClaimNames.Jti, Ids.New()),
        };
        claims.AddRange(user.Roles.Select(role => new Claim(ShopClaims.Role, role)));

        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = tokenOptions.Value.Issuer,
            Audience = tokenOptions.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = keys.SigningCredentials,
            TokenType = ShopClaims.TokenType,
        };
        return (_handler.CreateToken(descriptor), (int)lifetime.TotalSeconds);
    }
}
