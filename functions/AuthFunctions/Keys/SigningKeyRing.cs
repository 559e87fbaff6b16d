using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.Shared.Security;

namespace Shop.Auth.Keys;

/// <summary>
/// The RSA keys of AuthFunctions: the first configured key signs new tokens, every key verifies and is published in
/// the JWKS, so a key can be rotated in (added second, then moved first) and out (removed after the access-token
/// lifetime) without logging anyone out.
/// </summary>
public sealed class SigningKeyRing : ISigningKeySource
{
    private readonly RsaSecurityKey[] _keys;

    public SigningKeyRing(IOptions<AuthOptions> options, IHostEnvironment environment, ILogger<SigningKeyRing> logger)
    {
        _keys = options.Value.SigningKeys.Select(Load).ToArray();
        if (_keys.Length == 0)
        {
            if (!options.Value.AllowEphemeralSigningKey && !environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "No signing key is configured (Auth:SigningKeys:0:Kid and PrivateKeyPem or PrivateKeyFile). " +
                    "Only Development, or Auth:AllowEphemeralSigningKey=true, may sign with a key generated at start.");
            }

            logger.LogWarning("Signing with an ephemeral key: tokens will not survive a restart or verify on other instances");
            _keys = [new RsaSecurityKey(RSA.Create(2048)) { KeyId = "ephemeral-" + Guid.NewGuid().ToString("N")[..8] }];
        }

        var duplicate = _keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Signing key id '{duplicate.Key}' is configured twice.");
        }

        SigningCredentials = new SigningCredentials(_keys[0], SigningAlgorithms.Pinned);
    }

    public SigningCredentials SigningCredentials { get; }

    public ValueTask<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SecurityKey?>(_keys.FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal)));

    /// <summary>The public halves only, as RFC 7517 keys.</summary>
    public IReadOnlyList<JsonWebKeyDto> PublicJwks() =>
        _keys.Select(key =>
        {
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            return new JsonWebKeyDto("RSA", "sig", SigningAlgorithms.Pinned, key.KeyId,
                Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
        }).ToArray();

    private static RsaSecurityKey Load(SigningKeyOptions key)
    {
        if (string.IsNullOrWhiteSpace(key.Kid))
        {
            throw new InvalidOperationException("Every signing key needs a Kid.");
        }

        var pem = key.PrivateKeyFile is { Length: > 0 } path ? File.ReadAllText(path) : key.PrivateKeyPem;
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw new InvalidOperationException($"Signing key '{key.Kid}' has neither PrivateKeyPem nor PrivateKeyFile.");
        }

        if (!pem.TrimStart().StartsWith("-----", StringComparison.Ordinal))
        {
            pem = Encoding.UTF8.GetString(Convert.FromBase64String(pem.Trim()));
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        if (rsa.KeySize < 2048)
        {
            throw new InvalidOperationException($"Signing key '{key.Kid}' is {rsa.KeySize} bits; at least 2048 are required.");
        }

        return new RsaSecurityKey(rsa) { KeyId = key.Kid };
    }
}
