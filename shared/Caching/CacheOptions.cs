namespace Shop.Shared.Caching;

/// <summary>Section <c>Cache</c>.</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>How long an entry lives in Redis.</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an instance keeps an entry in memory. This is the bound on how stale another instance can be after a
    /// write (the writing instance evicts its own copy and the Redis copy at once).
    /// </summary>
    public TimeSpan LocalExpiration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Larger payloads are not cached.</summary>
    public int MaximumPayloadBytes { get; set; } = 256 * 1024;
}
