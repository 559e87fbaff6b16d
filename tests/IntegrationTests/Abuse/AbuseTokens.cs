using System.Security.Cryptography;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// Tokens a hostile caller can bring: well-formed but expired (signed by the real test key two hours ago), and
/// well-formed, unexpired, but signed by another RSA key under the real key's kid (a forgery) or under an unknown kid.
/// </summary>
public static class AbuseTokens
{
    private static readonly string s_foreignKeyPem = RSA.Create(2048).ExportRSAPrivateKeyPem();

    public static string Expired(string userId, params string[] roles) =>
        TestTokens.SignedBy(TestTokens.Kid, TestTokens.PrivateKeyPem, DateTimeOffset.UtcNow.AddHours(-2), userId, roles);

    /// <summary>Signed by a key the apps do not know, claiming the kid of the key they do know.</summary>
    public static string Foreign(string userId, params string[] roles) =>
        TestTokens.SignedBy(TestTokens.Kid, s_foreignKeyPem, DateTimeOffset.UtcNow, userId, roles);

    /// <summary>Signed by a key the apps do not know, under a kid nobody published.</summary>
    public static string UnknownKid(string userId, params string[] roles) =>
        TestTokens.SignedBy("attacker-key", s_foreignKeyPem, DateTimeOffset.UtcNow, userId, roles);

    public static string NewId() => Ids.New();
}
