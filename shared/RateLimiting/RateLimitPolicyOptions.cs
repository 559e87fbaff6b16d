namespace Shop.Shared.RateLimiting;

public sealed class RateLimitPolicyOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.TokenBucket;

    public RateLimitPartitionBy PartitionBy { get; set; } = RateLimitPartitionBy.ClientAddress;

    /// <summary>A declared policy as options, which settings then bind over value by value.</summary>
    internal static RateLimitPolicyOptions From(RateLimitPolicy policy) => new()
    {
        PermitLimit = policy.PermitLimit,
        Window = policy.Window,
        Algorithm = policy.Algorithm,
        PartitionBy = policy.PartitionBy,
    };

    internal RateLimitPolicy Named(string name) => new(name, PermitLimit, Window, Algorithm, PartitionBy);
}
