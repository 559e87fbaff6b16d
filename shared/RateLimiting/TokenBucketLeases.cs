using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// Token buckets kept in Redis and spent locally: a request that finds no leased token takes a small batch from the
/// partition's bucket in one Redis call (one Lua script), spends one token and keeps the rest, so the next requests of
/// that partition on this instance need no round trip at all.
/// <para>
/// How big a batch: it starts at one token (exactly the per-request behaviour) and doubles while the previous batch
/// was spent within half of <see cref="RateLimitPolicies.LeaseLifetime"/>, up to <see cref="RateLimitPolicies.LeaseCap"/>
/// (<c>RateLimiting:LeaseSize</c>, at most a tenth of the limit shared by <c>AssumedInstances</c>; limits under
/// 20 x AssumedInstances are therefore always exact). A caller with a request now and then never holds more than the
/// token it spends; only a busy partition leases ahead.
/// </para>
/// <para>
/// The bound: tokens are taken from the shared bucket before they are spent, so the global limit holds except that each
/// instance may spend up to one batch (LeaseCap - 1 tokens) it leased up to LeaseLifetime earlier, and that a request
/// may be refused on one instance while another still holds up to one unspent batch. Together at most a tenth of the
/// limit when AssumedInstances is at least the real replica count. Unspent tokens expire after LeaseLifetime (default
/// one second): they are lost to the caller (the bucket has refilled meanwhile for a caller who paused), and a Redis
/// outage reaches the in-memory fallback within that time.
/// </para>
/// </summary>
internal sealed class TokenBucketLeases(RateLimitPolicies policies, IConnectionMultiplexer redis, TimeProvider time)
{
    // KEYS[1] the bucket (a hash: tokens, at). ARGV: capacity, milliseconds per token, tokens wanted.
    // Redis' own clock, so every instance refills the bucket alike. Returns granted, whole tokens left, ms until one.
    private const string TakeScript = """
        local capacity = tonumber(ARGV[1])
        local period = tonumber(ARGV[2])
        local wanted = tonumber(ARGV[3])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        if tokens == nil or at == nil then
          tokens = capacity
          at = now
        end
        if now > at then
          tokens = math.min(capacity, tokens + (now - at) / period)
          at = now
        end
        local granted = math.min(wanted, math.floor(tokens))
        tokens = tokens - granted
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
        redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * period) + 1000)
        local wait = 0
        if granted < 1 then wait = math.ceil((1 - tokens) * period) end
        return { granted, math.floor(tokens), wait }
        """;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(RateLimitPolicy Policy, string Key), PartitionLease> _leases = new();
    private long _nextSweepTicks;

    /// <summary>Spends a leased token, or takes a new batch from Redis (which may throw RedisException or TimeoutException).</summary>
    public async Task<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        SweepExpired(now);
        var lease = _leases.GetOrAdd((policy, key), _ => new PartitionLease());
        if (lease.TrySpend(policy, now) is { } spent)
        {
            return spent;
        }

        // One lease call per partition at a time: requests that queued behind it spend what it brought.
        await lease.Refill.WaitAsync(cancellationToken);
        try
        {
            now = time.GetUtcNow().UtcTicks;
            if (lease.TrySpend(policy, now) is { } spentMeanwhile)
            {
                return spentMeanwhile;
            }

            var wanted = lease.NextBatch(now, policies.LeaseCap(policy), policies.LeaseLifetime);
            var period = RefillPeriod(policy);
            var answer = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                TakeScript,
                [(RedisKey)(key + ":bucket")],
                [policy.PermitLimit, period.TotalMilliseconds, wanted]))!;
            return lease.Store(policy, (int)answer[0], (long)answer[1], TimeSpan.FromMilliseconds((long)answer[2]), now, policies.LeaseLifetime);
        }
        finally
        {
            lease.Refill.Release();
        }
    }

    internal static TimeSpan RefillPeriod(RateLimitPolicy policy) => policy.Window / policy.PermitLimit;

    private void SweepExpired(long now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepInterval.Ticks, next) != next)
        {
            return;
        }

        foreach (var (partition, lease) in _leases)
        {
            if (lease.IsForgettable(now, policies.LeaseLifetime))
            {
                _leases.TryRemove(KeyValuePair.Create(partition, lease));
            }
        }
    }

    /// <summary>What this instance holds of one partition's bucket.</summary>
    private sealed class PartitionLease
    {
        private readonly Lock _gate = new();
        private int _tokens;
        private int _lastBatch;
        private long _leasedAtTicks;
        private long _expiresAtTicks;
        private long _bucketLeft;

        public SemaphoreSlim Refill { get; } = new(1, 1);

        public RateLimitDecision? TrySpend(RateLimitPolicy policy, long now)
        {
            lock (_gate)
            {
                if (_tokens == 0 || now >= _expiresAtTicks)
                {
                    return null;
                }

                _tokens--;
                return Allowed(policy);
            }
        }

        /// <summary>
        /// Double the last batch when it was spent within half its lifetime, the same when within its lifetime, and one
        /// token after a pause or a refusal (then tokens expired unspent, or the caller is at its limit).
        /// </summary>
        public int NextBatch(long now, int cap, TimeSpan lifetime)
        {
            lock (_gate)
            {
                var age = now - _leasedAtTicks;
                if (_lastBatch == 0 || age >= lifetime.Ticks)
                {
                    return 1;
                }

                return Math.Min(cap, age <= lifetime.Ticks / 2 ? _lastBatch * 2 : _lastBatch);
            }
        }

        public RateLimitDecision Store(RateLimitPolicy policy, int granted, long bucketLeft, TimeSpan retryAfter, long now, TimeSpan lifetime)
        {
            lock (_gate)
            {
                _bucketLeft = bucketLeft;
                _leasedAtTicks = now;
                _expiresAtTicks = now + lifetime.Ticks;
                if (granted < 1)
                {
                    _tokens = 0;
                    _lastBatch = 0;
                    return new RateLimitDecision(policy, Allowed: false, Remaining: 0, Reset: retryAfter);
                }

                _lastBatch = granted;
                _tokens = granted - 1;
                return Allowed(policy);
            }
        }

        public bool IsForgettable(long now, TimeSpan lifetime)
        {
            lock (_gate)
            {
                return now - _leasedAtTicks > lifetime.Ticks && Refill.CurrentCount == 1;
            }
        }

        /// <summary>What the partition has left: the shared bucket after the last batch plus what this instance still holds.</summary>
        private RateLimitDecision Allowed(RateLimitPolicy policy)
        {
            var remaining = _bucketLeft + _tokens;
            var reset = RefillPeriod(policy) * Math.Max(0, policy.PermitLimit - remaining);
            return new RateLimitDecision(policy, Allowed: true, remaining, reset);
        }
    }
}
