namespace Shop.Shared.RateLimiting;

public sealed class RateLimitPolicyOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.TokenBucket;

    public RateLimitPartitionBy PartitionBy { get; set; } = RateLimitPartitionBy.ClientAddress;
}
