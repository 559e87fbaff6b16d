using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shop.Shared.Observability;
using Shop.Shared.RateLimiting;
using Shop.Shared.Redis;
using Shop.Testing.Redis;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Protection;

/// <summary>
/// How big the batches leased from a Redis token bucket are, counted in Redis calls against real Redis. The
/// instance's clock is a fake one, moved by the test, so the counts cannot depend on this machine's speed.
/// </summary>
public sealed class TokenBucketLeaseTests
{
    private static readonly RateLimitPolicy User = new("user", 600, TimeSpan.FromMinutes(1), RateLimitAlgorithm.TokenBucket, RateLimitPartitionBy.User);

    private static async Task<Instance> StartAsync()
    {
        var servers = await Servers.RequireAsync();
        var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policies = new RateLimitPolicies(new RateLimitingOptions { LeaseSize = 32, LeaseLifetime = TimeSpan.FromSeconds(1), AssumedInstances = 2 });
        var limiter = new DistributedRateLimiter(policies, redis, Options.Create(new RedisOptions { KeyPrefix = $"test:{Guid.NewGuid():N}:" }),
            new ShopMetrics(Prometheus.Metrics.NewCustomRegistry()), clock, NullLogger<DistributedRateLimiter>.Instance);
        return new Instance(limiter, redis, clock);
    }

    private static async Task<List<int>> CallsPerRequestAsync(DistributedRateLimiter limiter, RedisCommandCounter counter, int requests, Action? between = null)
    {
        var calls = new List<int>();
        for (var i = 0; i < requests; i++)
        {
            counter.Start();
            Assert.True((await limiter.AcquireAsync(User, "user:busy-or-not", CancellationToken.None)).Allowed);
            calls.Add(counter.Stop().Count);
            between?.Invoke();
        }

        return calls;
    }

    [SkippableFact]
    public async Task A_caller_with_a_request_now_and_then_takes_one_token_per_call_as_without_leases()
    {
        await using var instance = await StartAsync();
        var counter = new RedisCommandCounter(instance.Redis);

        var calls = await CallsPerRequestAsync(instance.Limiter, counter, 5, () => instance.Clock.Advance(TimeSpan.FromSeconds(2)));

        Assert.Equal([1, 1, 1, 1, 1], calls);
    }

    [SkippableFact]
    public async Task A_busy_caller_leases_batches_that_double_up_to_a_tenth_of_its_share_and_start_again_at_one_after_a_pause()
    {
        await using var instance = await StartAsync();
        var counter = new RedisCommandCounter(instance.Redis);

        // Batches of 1, 2, 4, 8, 16, then 30 (600 / 2 instances / 10, under LeaseSize 32): 7 calls for 80 requests.
        var busy = await CallsPerRequestAsync(instance.Limiter, counter, 80);
        instance.Clock.Advance(TimeSpan.FromSeconds(1));
        var afterPause = await CallsPerRequestAsync(instance.Limiter, counter, 3);

        int[] leasedAt = [0, 1, 3, 7, 15, 31, 61];
        Assert.Equal(Enumerable.Range(0, 80).Select(i => leasedAt.Contains(i) ? 1 : 0), busy);
        // The 11 tokens left of the last batch expired during the pause; the batches start again at one token.
        Assert.Equal([1, 1, 0], afterPause);
    }

    private sealed record Instance(DistributedRateLimiter Limiter, IConnectionMultiplexer Redis, FakeTimeProvider Clock) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Limiter.Dispose();
            await Redis.DisposeAsync();
        }
    }
}
