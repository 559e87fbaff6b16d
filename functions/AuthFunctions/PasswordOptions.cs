namespace Shop.Auth;

/// <summary>Argon2id parameters; OWASP's minimum is m=19 MiB, t=2, p=1. Raising them rehashes on next login.</summary>
public sealed class PasswordOptions
{
    public int MemoryKiB { get; set; } = 19 * 1024;

    public int Iterations { get; set; } = 2;

    public int Parallelism { get; set; } = 1;

    public int MinimumLength { get; set; } = 12;

    /// <summary>Bounded so a huge password cannot be used to burn CPU.</summary>
    public int MaximumLength { get; set; } = 128;
}
