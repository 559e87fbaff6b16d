namespace Shop.Shared.RateLimiting;

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
