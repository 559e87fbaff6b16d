namespace Shop.Shared.RateLimiting;

public sealed class ApiConsumerOptions
{
    /// <summary>The lowercase hex SHA-256 of the consumer's function key (the key itself is a secret; this is not).</summary>
    public string KeySha256 { get; set; } = "";

    /// <summary>Replaces PermitLimit of every key-partitioned policy for this consumer; 0 keeps the policy's own.</summary>
    public int PermitLimit { get; set; }
}
