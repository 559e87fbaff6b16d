using Shop.Shared.RateLimiting;

namespace Shop.Products;

/// <summary>ProductFunctions' rate-limit policies with their defaults; RateLimiting:Policies:&lt;name&gt; overrides any value.</summary>
public static class ProductRateLimits
{
    /// <summary>The internal reservation API (OrderFunctions' calls) per function key, in a bucket of its own.</summary>
    [RateLimitDefaults(3000, RateLimitAlgorithm.TokenBucket, RateLimitPartitionBy.ApiKey)]
    public const string Internal = "internal";
}
