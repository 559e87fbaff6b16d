using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Moq;
using Shop.Auth;
using Shop.Auth.Keys;
using Shop.Shared.Security;

namespace Shop.UnitTests.Auth;

internal static class TestKeys
{
    public static readonly string PrivatePem = RSA.Create(2048).ExportRSAPrivateKeyPem();

    public static IOptions<AuthOptions> AuthOptions(Action<AuthOptions>? configure = null)
    {
        var options = new AuthOptions
        {
            SigningKeys = [new SigningKeyOptions { Kid = "k1", PrivateKeyPem = PrivatePem }],
            Passwords = new PasswordOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 },
        };
        configure?.Invoke(options);
        return Options.Create(options);
    }

    public static SigningKeyRing Ring(IOptions<AuthOptions>? options = null) =>
        new(options ?? AuthOptions(), Mock.Of<Microsoft.Extensions.Hosting.IHostEnvironment>(e => e.EnvironmentName == "Production"),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SigningKeyRing>.Instance);

    public static IOptions<AccessTokenOptions> TokenOptions() => Options.Create(new AccessTokenOptions());
}
