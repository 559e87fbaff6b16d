using Shop.Testing.Redis;
using StackExchange.Redis;

namespace Shop.IntegrationTests.Protection;

/// <summary>
/// What the rate limits cost a cached read in Redis round trips, counted (StackExchange.Redis profiling), not timed:
/// the token buckets are leased in batches and spent locally, so a read served from memory needs no Redis call.
/// </summary>
public sealed class RateLimitRoundTripTests
{
    private const int LeaseSize = 16;

    // A lease lifetime and a local cache lifetime far beyond the test's length, so the counts cannot depend on how fast
    // this machine runs: the batches grow as they would under steady traffic, and every read is a memory hit.
    private static Dictionary<string, string?> Settings(int leaseSize)
    {
        var settings = RateLimitSettings.On(("LeaseSize", leaseSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("LeaseLifetime", "00:10:00"));
        settings["Cache:LocalExpiration"] = "00:10:00";
        return settings;
    }

    private static Task<TestResponse> CachedReadAsync(ProductTestApp app, string id, string token) =>
        app.Host.SendAsync("GET", $"products/{id}", bearer: token,
            headers: new Dictionary<string, string> { ["x-functions-key"] = "a-client-function-key" });

    [SkippableFact]
    public async Task Cached_reads_by_one_user_make_one_redis_call_per_policy_per_batch_and_none_in_between()
    {
        await using var products = await ProductTestApp.StartAsync(extraSettings: Settings(LeaseSize));
        var product = await products.CreateProductAsync();
        var token = TestTokens.Customer();
        // Batches of 1, 2, 4, 8 and 16 tokens (31 reads) bring both policies to full batches; the first read also fills
        // the cache.
        for (var i = 0; i < 31; i++)
        {
            Assert.Equal(200, (await CachedReadAsync(products, product.Id, token)).Status);
        }

        var counter = new RedisCommandCounter(products.Host.Get<IConnectionMultiplexer>());
        var perRead = new List<int>();
        for (var i = 0; i < 10 * LeaseSize; i++)
        {
            counter.Start();
            Assert.Equal(200, (await CachedReadAsync(products, product.Id, token)).Status);
            perRead.Add(counter.Stop().Count);
        }

        // Each batch's first read leases for both policies (user, api-key) in one script call each; the other fifteen
        // spend leased tokens: 20 calls for 160 reads, where asking Redis per request made 320.
        Assert.Equal(Enumerable.Range(0, 10 * LeaseSize).Select(i => i % LeaseSize == 0 ? 2 : 0), perRead);
    }

    [SkippableFact]
    public async Task A_lease_size_of_one_asks_redis_for_every_policy_of_every_request()
    {
        await using var products = await ProductTestApp.StartAsync(extraSettings: Settings(leaseSize: 1));
        var product = await products.CreateProductAsync();
        var token = TestTokens.Customer();
        await CachedReadAsync(products, product.Id, token);

        var counter = new RedisCommandCounter(products.Host.Get<IConnectionMultiplexer>());
        counter.Start();
        var last = default(TestResponse);
        for (var i = 0; i < 10; i++)
        {
            last = await CachedReadAsync(products, product.Id, token);
        }

        var commands = counter.Stop();
        Assert.Equal(20, commands.Count);
        Assert.All(commands, command => Assert.StartsWith("EVAL", command, StringComparison.Ordinal));
        Assert.Matches("^\"user\";r=\\d+;t=\\d+, \"api-key\";r=\\d+;t=\\d+$", last!.Headers["RateLimit"]);
    }
}
