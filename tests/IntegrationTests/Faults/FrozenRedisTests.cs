using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Shop.Products.Catalog;
using Shop.Shared.Http;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// Redis frozen (SIGSTOP: the process alive, its port accepting connections, nothing ever answered), which is harder on
/// a client than a stopped server: connecting succeeds and every command waits for its timeout instead of failing at
/// once.
/// </summary>
[Collection(DependencyOutageCollection.Name)]
public sealed class FrozenRedisTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task While_Redis_is_frozen_reads_logins_and_orders_answer_in_bounded_time_and_after_it_continues_the_cache_holds_the_latest_version()
    {
        var servers = await Servers.RequireAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_REDIS", servers.Redis), "This test pauses Redis, which only works with the Redis of scripts/servers.sh.");
        await using var shop = await FaultShop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 100);
        var (tokens, email, _) = await shop.Auth.NewUserAsync();
        var (_, victim, _) = await shop.Auth.NewUserAsync();
        await using var limited = await ProductTestApp.StartAsync(shop.ProductEnvironment, new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "true" });
        async Task<double> FallbackDecisionsAsync() => (await MetricsSnapshot.ScrapeAsync(limited.Host.Services)).Value("shop_rate_limit_fallback_total");
        var deadline = shop.Products.Host.Get<IOptions<RequestTimeoutOptions>>().Value.Default;
        var calls = new TimedCalls();
        var orders = new List<string>();

        async Task FlowAsync(string phase, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var placed = await calls.RunAsync(phase, "PlaceOrder", () =>
                    shop.Orders.PlaceAsync(OrderTestApp.SampleOrder(product.Id), tokens.AccessToken, Guid.NewGuid().ToString()));
                if (placed.Status == 202)
                {
                    orders.Add(placed.Document.GetProperty("orderId").GetString()!);
                }

                await calls.RunAsync(phase, "GetProduct", () => shop.Products.GetAsync(product.Id));
                await calls.RunAsync(phase, "GetProduct (rate limited)", () => limited.GetAsync(product.Id));
                await calls.RunAsync(phase, "ListProducts", () => shop.Products.ListAsync("?q=kettle"));
                await calls.RunAsync(phase, "Login", () => shop.Auth.LoginAsync(new { email, password = "correct horse battery staple" }));
                await calls.RunAsync(phase, "Login with a wrong password", () =>
                    shop.Auth.LoginAsync(new { email = victim, password = "not the password at all" }, "198.51.100." + i));
            }
        }

        await FlowAsync("before", 2);
        var frozenFor = Stopwatch.StartNew();
        TestResponse renamed;
        double fallbackBefore;
        try
        {
            await LocalServers.PauseAsync("redis");
            fallbackBefore = await FallbackDecisionsAsync();
            await FlowAsync("during", 3);
            var current = (await shop.Products.ReadStoredAsync(product.Id))!;
            renamed = await calls.RunAsync("during", "ReplaceProduct", () => shop.Products.ReplaceAsync(product.Id,
                ProductTestApp.SampleInput(sku: product.Sku, stock: current.Stock, name: "Renamed while Redis was frozen"), $"\"{current.Version}\""));
            foreach (var id in orders)
            {
                await shop.Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Recovery);
            }

            Assert.True(await FallbackDecisionsAsync() > fallbackBefore, "while Redis is frozen the limiter decides in memory");
        }
        finally
        {
            await LocalServers.ResumeAsync("redis");
        }

        output.WriteLine($"Redis was frozen for {frozenFor.Elapsed.TotalSeconds:0.0} s (request deadline {deadline.TotalSeconds:0} s)");
        // Caching resumes, and what Redis holds is the latest version: the evictions of the rename and of the stock
        // taken during the freeze timed out, so every read from now on must still show the stored version.
        var redis = shop.Products.Host.Get<IConnectionMultiplexer>();
        var key = (RedisKey)(shop.ProductEnvironment.RedisPrefix + "cache:product:" + product.Id);
        var renamedVersion = (await shop.Products.ReadStoredAsync(product.Id))!.Version;
        var versionsRead = new List<long>();
        await Eventually.TrueAsync(async () =>
        {
            var read = await shop.Products.GetAsync(product.Id);
            versionsRead.Add(read.Status == 200 ? read.Json<ProductView>().Version : -read.Status);
            var cached = redis.IsConnected ? (byte[]?)await redis.GetDatabase().HashGetAsync(key, "data") : null;
            return cached is not null && Encoding.UTF8.GetString(cached).Contains("Renamed while Redis was frozen", StringComparison.Ordinal);
        }, Recovery, "the product is cached in Redis again, in its latest version");
        output.WriteLine($"{versionsRead.Count} reads until Redis held the latest version; versions read: {string.Join(",", versionsRead.Distinct())}");
        Assert.All(versionsRead, v => Assert.Equal(renamedVersion, v));
        await FlowAsync("after", 2);
        calls.Report(output);

        Assert.All(calls.All, c => Assert.True(c.Elapsed < deadline, $"{c.Phase} {c.Call} took {c.Elapsed.TotalSeconds:0.0} s"));
        Assert.All(calls.All, c => Assert.True(c.Response.Status < 500, $"{c.Phase} {c.Call}: {c.Response}"));
        Assert.Equal(200, renamed.Status);
        Assert.All(calls.All.Where(c => c.Call is "PlaceOrder"), c => Assert.Equal(202, c.Response.Status));
        Assert.All(calls.All.Where(c => c.Call is "GetProduct" or "GetProduct (rate limited)" or "ListProducts" or "Login"), c => Assert.Equal(200, c.Response.Status));
        Assert.All(calls.All.Where(c => c.Call is "Login with a wrong password"), c => Assert.True(c.Response.Status is 401 or 429, c.ToString()));

        var stored = (await shop.Products.ReadStoredAsync(product.Id))!;
        Assert.Equal("Renamed while Redis was frozen", stored.Name);
        Assert.Equal(100 - orders.Count, stored.Stock);
        Assert.Equal(7, orders.Distinct().Count());
        foreach (var id in orders)
        {
            await shop.Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Recovery);
            Assert.All(await shop.OutboxCountsAsync(id), e => Assert.Equal(1, e.Value));
        }
    }
}
