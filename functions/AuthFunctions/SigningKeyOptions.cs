namespace Shop.Auth;

public sealed class SigningKeyOptions
{
    public string Kid { get; set; } = "";

    /// <summary>An RSA private key as PEM (or base64 of the PEM, which survives environment variables).</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Or a file holding the PEM, e.g. a mounted Kubernetes secret.</summary>
    public string? PrivateKeyFile { get; set; }
}
