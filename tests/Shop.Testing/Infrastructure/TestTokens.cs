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

namespace Shop.Testing.Infrastructure;

/// <summary>
/// One signing key for the whole test run: AuthFunctions signs with it, the other apps are configured with its public
/// half, so a token issued by the auth app (or minted here for a role) is accepted everywhere, as in production.
/// </summary>
public static class TestTokens
{
    public const string Kid = "test-key-1";

    public static readonly string PrivateKeyPem = RSA.Create(2048).ExportRSAPrivateKeyPem();

    public static readonly string PublicKeyPem = PublicPem();

    private static readonly AccessTokenIssuer s_issuer = Issuer(Kid, PrivateKeyPem, TimeProvider.System);

    public static string For(string userId, params string[] roles) => s_issuer.Issue(NewUser(userId, roles)).Token;

    /// <summary>A token for <paramref name="userId"/> signed by any key under any kid, issued at <paramref name="issuedAt"/>.</summary>
    public static string SignedBy(string kid, string privateKeyPem, DateTimeOffset issuedAt, string userId, params string[] roles) =>
        Issuer(kid, privateKeyPem, new FakeTimeProvider(issuedAt)).Issue(NewUser(userId, roles)).Token;

    public static string Admin() => For(Ids.New(), ShopRoles.Admin);

    public static string Customer(string? userId = null) => For(userId ?? Ids.New(), ShopRoles.Customer);

    /// <summary>Settings that make an app validate tokens signed by the test key.</summary>
    public static Dictionary<string, string?> ValidationSettings() => new()
    {
        ["Auth:Issuer"] = "shop-auth",
        ["Auth:Audience"] = "shop-api",
        [$"Auth:PublicKeys:{Kid}"] = PublicKeyPem,
    };

    private static string PublicPem()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(PrivateKeyPem);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

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

    private static AccessTokenIssuer Issuer(string kid, string privateKeyPem, TimeProvider time)
    {
        var authOptions = Options.Create(new AuthOptions { SigningKeys = [new SigningKeyOptions { Kid = kid, PrivateKeyPem = privateKeyPem }] });
        var ring = new SigningKeyRing(authOptions, Mock.Of<Microsoft.Extensions.Hosting.IHostEnvironment>(), NullLogger<SigningKeyRing>.Instance);
        return new AccessTokenIssuer(ring, authOptions, Options.Create(new AccessTokenOptions()), time);
    }
}
