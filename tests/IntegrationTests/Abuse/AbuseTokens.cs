using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Shop.Auth;
using Shop.Auth.Accounts;
using Shop.Auth.Keys;
using Shop.Auth.Sessions;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// Tokens a hostile caller can bring: well-formed but expired (signed by the real test key two hours ago), and
/// well-formed, unexpired, but signed by another RSA key under the real key's kid (a forgery) or under an unknown kid.
/// </summary>
public static class AbuseTokens
{
    private static readonly string s_foreignKeyPem = RSA.Create(2048).ExportRSAPrivateKeyPem();

    public static string Expired(string userId, params string[] roles) =>
        Issuer(TestTokens.Kid, TestTokens.PrivateKeyPem, DateTimeOffset.UtcNow.AddHours(-2)).Issue(NewUser(userId, roles)).Token;

    /// <summary>Signed by a key the apps do not know, claiming the kid of the key they do know.</summary>
    public static string Foreign(string userId, params string[] roles) =>
        Issuer(TestTokens.Kid, s_foreignKeyPem, DateTimeOffset.UtcNow).Issue(NewUser(userId, roles)).Token;

    /// <summary>Signed by a key the apps do not know, under a kid nobody published.</summary>
    public static string UnknownKid(string userId, params string[] roles) =>
        Issuer("attacker-key", s_foreignKeyPem, DateTimeOffset.UtcNow).Issue(NewUser(userId, roles)).Token;

    private static User NewUser(string userId, string[] roles) => new()
    {
        Email = $"{userId}@example.com",
        UserId = userId,
        DisplayName = userId,
        PasswordHash = "",
        Roles = roles.Length == 0 ? [ShopRoles.Customer] : roles,
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
    };

    private static AccessTokenIssuer Issuer(string kid, string pem, DateTimeOffset now)
    {
        var authOptions = Options.Create(new AuthOptions { SigningKeys = [new SigningKeyOptions { Kid = kid, PrivateKeyPem = pem }] });
        var ring = new SigningKeyRing(authOptions, Mock.Of<Microsoft.Extensions.Hosting.IHostEnvironment>(), NullLogger<SigningKeyRing>.Instance);
        return new AccessTokenIssuer(ring, authOptions, Options.Create(new AccessTokenOptions()), new FakeTimeProvider(now));
    }

    public static string NewId() => Ids.New();
}
