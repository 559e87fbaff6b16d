using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using Shop.Shared.Observability;
using Shop.Shared.Redis;
using StackExchange.Redis;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// Rate limits shared by every instance through Redis. Token buckets (the large, general limits) are
/// leased in small batches and spent locally (<see cref="TokenBucketLeases"/>: no round trip for most requests of a busy
/// caller, the bound documented there); sliding windows (small, strict limits such as those of logins) ask Redis on
/// every request (RedisRateLimiting's limiter, one System.Threading.RateLimiting partitioned limiter per policy), which
/// keeps them exact, and their requests pay for an Argon2 hash anyway.
/// <para>
/// When Redis is unreachable this instance decides alone, in memory, with each limit divided by
/// RateLimiting:AssumedInstances, for <see cref="CoolDown"/> before it tries Redis again; each such decision counts in
/// shop_rate_limit_fallback_total. Failing closed would turn a Redis outage into a full outage, and failing open would
/// lift every limit exactly when something is already wrong; this keeps the deployment near its limits and never 500s.
/// </para>
/// Partition values (addresses, key and email hashes, user ids) are hashed again before they reach Redis or memory.
/// </summary>
public sealed class DistributedRateLimiter(
    RateLimitPolicies policies,
    IConnectionMultiplexer redis,
    IOptions<RedisOptions> redisOptions,
    ShopMetrics metrics,
    TimeProvider time,
    ILogger<DistributedRateLimiter> logger) : IDisposable
{
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(5);

    // By the whole policy, not its name: a consumer with a limit of its own is the same policy with another PermitLimit.
    private readonly ConcurrentDictionary<RateLimitPolicy, PartitionedRateLimiter<string>> _redisLimiters = new();
    private readonly TokenBucketLeases _leases = new(policies, redis, time);
    private readonly ConcurrentDictionary<RateLimitPolicy, PartitionedRateLimiter<string>> _memoryLimiters = new();
    private long _skipRedisUntilTicks;
    private int _fallingBack;

    public bool Enabled => policies.Enabled;

    public RateLimitPolicies Policies => policies;

    public async Task<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string partition, CancellationToken cancellationToken)
    {
        var key = Key(policy, partition);
        var decision = await TryRedisAsync(policy, key, cancellationToken) ?? await FromMemoryAsync(policy, key, cancellationToken);
        if (!decision.Allowed)
        {
            metrics.RateLimitRejected(policy.Name);
        }

        return decision;
    }

    /// <summary>For limits a service applies itself (the email of a login): 429 when refused, nothing otherwise.</summary>
    public async Task EnforceAsync(string policyName, string partition, CancellationToken cancellationToken)
    {
        if (!Enabled || policies.Named(policyName) is not { } policy)
        {
            return;
        }

        var decision = await AcquireAsync(policy, partition, cancellationToken);
        if (!decision.Allowed)
        {
            throw RateLimitHeaders.TooManyRequests([decision]);
        }
    }

    public void Dispose()
    {
        foreach (var limiter in _redisLimiters.Values.Concat(_memoryLimiters.Values))
        {
            limiter.Dispose();
        }
    }

    private async Task<RateLimitDecision?> TryRedisAsync(RateLimitPolicy policy, string key, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref _skipRedisUntilTicks))
        {
            return null;
        }

        try
        {
            var decision = policy.Algorithm == RateLimitAlgorithm.TokenBucket
                ? await _leases.AcquireAsync(policy, key, cancellationToken)
                : await SlidingWindowAsync(policy, key, cancellationToken);
            if (Interlocked.Exchange(ref _fallingBack, 0) == 1)
            {
                logger.LogInformation("Rate limiting is shared through Redis again");
            }

            return decision;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _skipRedisUntilTicks, (time.GetUtcNow() + CoolDown).UtcTicks);
            if (Interlocked.Exchange(ref _fallingBack, 1) == 0)
            {
                logger.LogWarning(
                    "Redis unreachable for rate limiting ({Error}); limiting in memory per instance (limits / {Instances})",
                    exception.GetType().Name, policies.AssumedInstances);
            }

            return null;
        }
    }

    private async Task<RateLimitDecision> FromMemoryAsync(RateLimitPolicy policy, string key, CancellationToken cancellationToken)
    {
        metrics.RateLimitFellBack();
        var limiter = _memoryLimiters.GetOrAdd(policy, CreateMemoryLimiter);
        using var lease = await limiter.AcquireAsync(key, 1, cancellationToken);
        var remaining = limiter.GetStatistics(key)?.CurrentAvailablePermits ?? 0;
        var reset = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : policy.Window;
        return new RateLimitDecision(policy, lease.IsAcquired, remaining, reset, FromFallback: true);
    }

    private async Task<RateLimitDecision> SlidingWindowAsync(RateLimitPolicy policy, string key, CancellationToken cancellationToken)
    {
        using var lease = await _redisLimiters.GetOrAdd(policy, CreateSlidingWindowLimiter).AcquireAsync(key, 1, cancellationToken);
        lease.TryGetMetadata(RateLimitMetadataName.Remaining, out var remaining);
        // The library reports the count before this request was added, and no expiry time: the window is the latest
        // moment by which every request now counted has left it.
        return new RateLimitDecision(policy, lease.IsAcquired, lease.IsAcquired ? remaining - 1 : 0, policy.Window);
    }

    private PartitionedRateLimiter<string> CreateSlidingWindowLimiter(RateLimitPolicy policy) =>
        PartitionedRateLimiter.Create<string, string>(key => RedisRateLimitPartition.GetSlidingWindowRateLimiter(key, _ =>
            new RedisSlidingWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                PermitLimit = policy.PermitLimit,
                Window = policy.Window,
            }));

    /// <summary>
    /// A sliding window for both algorithms: the in-memory token bucket adds one period's tokens per replenishment
    /// tick (100 ms in a partitioned limiter), which would cap fast refill rates below the configured limit.
    /// </summary>
    private PartitionedRateLimiter<string> CreateMemoryLimiter(RateLimitPolicy policy)
    {
        var perInstance = Math.Max(1, policy.PermitLimit / policies.AssumedInstances);
        var segments = (int)Math.Clamp(policy.Window.TotalMilliseconds / 100, 1, 10);
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ =>
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = perInstance,
                Window = policy.Window,
                SegmentsPerWindow = segments,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    private string Key(RateLimitPolicy policy, string partition) =>
        redisOptions.Value.KeyPrefix + "ratelimit:" + policy.Name + ":"
        + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partition)))[..32];
}
