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

public sealed class RateLimitPolicyOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.TokenBucket;

    public RateLimitPartitionBy PartitionBy { get; set; } = RateLimitPartitionBy.ClientAddress;
}

public sealed class ApiConsumerOptions
{
    /// <summary>The lowercase hex SHA-256 of the consumer's function key (the key itself is a secret; this is not).</summary>
    public string KeySha256 { get; set; } = "";

    /// <summary>Replaces PermitLimit of every key-partitioned policy for this consumer; 0 keeps the policy's own.</summary>
    public int PermitLimit { get; set; }
}

public enum RateLimitAlgorithm
{
    /// <summary>
    /// Exact: never more than PermitLimit in any Window (a Redis sorted set of request times per partition, asked on
    /// every request). For small, strict limits; Retry-After is the whole window because the library does not say when
    /// the oldest entry expires.
    /// </summary>
    SlidingWindow,

    /// <summary>
    /// A bucket of PermitLimit tokens refilled one at a time over the Window (one small Redis hash per partition): bursts
    /// up to the limit, then a steady rate, and an exact Retry-After. For large, general limits; instances lease its
    /// tokens in batches (<see cref="TokenBucketLeases"/>), so most requests need no Redis round trip.
    /// </summary>
    TokenBucket,
}

public enum RateLimitPartitionBy
{
    /// <summary>The caller's address (<see cref="Http.ClientAddress"/>).</summary>
    ClientAddress,

    /// <summary>
    /// The function key (x-functions-key or ?code=): its consumer's name when configured, else the key's hash; the client
    /// address when there is none. A key is usually shared by many callers, so these policies are checked last.
    /// </summary>
    ApiKey,

    /// <summary>The user of a valid bearer token; the client address for anonymous callers or invalid tokens.</summary>
    User,

    /// <summary>
    /// An email address, applied by the service that parsed and normalised it (<see cref="DistributedRateLimiter.EnforceAsync"/>),
    /// never by the middleware.
    /// </summary>
    Email,
}
