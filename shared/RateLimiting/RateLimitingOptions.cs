namespace Shop.Shared.RateLimiting;

/// <summary>
/// Section <c>RateLimiting</c>. Policies are named limits. Each app declares the policies it defines
/// (<see cref="RateLimitDefaultsAttribute"/>) and those of its functions (<see cref="RateLimitAttribute"/>) beside
/// them; <see cref="Functions"/> overrides a function's policies by name from settings; functions that declare nothing
/// get <see cref="DefaultPolicies"/>. Values given in configuration are merged over the defaults below and those the
/// app declares, key by key.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>The word that maps a function to no policy at all (health probes, the JWKS, the OpenAPI documents).</summary>
    public const string NoPolicy = "none";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// While Redis is unreachable each instance limits alone, in memory, with every limit divided by this number, so
    /// that the whole deployment stays near the configured limit. Set it to the usual replica count.
    /// </summary>
    public int AssumedInstances { get; set; } = 2;

    public string DefaultPolicies { get; set; } = "api-key,user";

    /// <summary>
    /// The most tokens an instance leases from a token bucket in one Redis call (see <see cref="TokenBucketLeases"/>);
    /// never more than a tenth of the limit divided by <see cref="AssumedInstances"/>. 1 asks Redis on every request.
    /// </summary>
    public int LeaseSize { get; set; } = 32;

    /// <summary>How long leased tokens may be spent; unspent ones then expire.</summary>
    public TimeSpan LeaseLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Policies by function name, over what the function declares (e.g. <c>PlaceOrder = "orders,user"</c>).</summary>
    public Dictionary<string, string> Functions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// API consumers by name, each with its own function key (scripts/new-api-consumer.sh): the key's SHA-256 names the
    /// consumer in the partition and may give it its own limit for the key-partitioned policies.
    /// </summary>
    public Dictionary<string, ApiConsumerOptions> Consumers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The policies every app has, those <see cref="DefaultPolicies"/> names; apps declare their own.</summary>
    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["api-key"] = new() { PermitLimit = 6000, Window = TimeSpan.FromMinutes(1), Algorithm = RateLimitAlgorithm.TokenBucket, PartitionBy = RateLimitPartitionBy.ApiKey },
        ["user"] = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1), Algorithm = RateLimitAlgorithm.TokenBucket, PartitionBy = RateLimitPartitionBy.User },
    };
}
