namespace Shop.Shared.RateLimiting;

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
