using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Security;

/// <summary>Finds the public key that verifies a token, by its <c>kid</c>.</summary>
public interface ISigningKeySource
{
    ValueTask<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken);
}
