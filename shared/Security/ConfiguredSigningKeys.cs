using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Security;

/// <summary>Public keys given in configuration (Auth:PublicKeys:{kid} = PEM).</summary>
public sealed class ConfiguredSigningKeys : ISigningKeySource
{
    private readonly Dictionary<string, SecurityKey> _keys;

    public ConfiguredSigningKeys(IOptions<AccessTokenOptions> options)
    {
        _keys = options.Value.PublicKeys.ToDictionary(
            pair => pair.Key,
            pair => (SecurityKey)FromPem(pair.Key, pair.Value),
            StringComparer.Ordinal);
    }

    public bool IsEmpty => _keys.Count == 0;

    public ValueTask<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.GetValueOrDefault(kid));

    public static RsaSecurityKey FromPem(string kid, string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }
}
