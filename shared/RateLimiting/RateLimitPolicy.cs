namespace Shop.Shared.RateLimiting;

/// <summary>One named limit, resolved from configuration.</summary>
public sealed record RateLimitPolicy(string Name, int PermitLimit, TimeSpan Window, RateLimitAlgorithm Algorithm, RateLimitPartitionBy PartitionBy);
