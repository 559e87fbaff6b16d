using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

[Collection(DependencyOutageCollection.Name)]
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Orders_reads_reservations_and_logins_keep_answering_while_Redis_restarts_and_caching_and_limits_resume()
    {
        var servers = await Servers.RequireAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_REDIS", servers.Redis), "This test stops Redis, which only works with the Redis of scripts/servers.sh.");
        await using var shop = await FaultShop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 100);
        var (tokens, email, _) = await shop.Auth.NewUserAsync();
        var customer = tokens.AccessToken;
        // Wrong passwords go to another account, so the lockout they build never refuses the customer's own logins.
        var (_, victim, _) = await shop.Auth.NewUserAsync();
        // A second instance of the catalog with rate limiting on (the other test apps turn it off).
        await using var limited = await ProductTestApp.StartAsync(shop.ProductEnvironment, new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "true" });
        async Task<double> FallbackDecisionsAsync() => (await MetricsSnapshot.ScrapeAsync(limited.Host.Services)).Value("shop_rate_limit_fallback_total");
        var statuses = new List<(string Phase, string Call, int Status)>();
        var orders = new List<string>();

        async Task FlowAsync(string phase, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var placed = await shop.Orders.PlaceAsync(OrderTestApp.SampleOrder(product.Id), customer, Guid.NewGuid().ToString());
                statuses.Add((phase, "PlaceOrder", placed.Status));
                if (placed.Status == 202)
                {
                    orders.Add(placed.Document.GetProperty("orderId").GetString()!);
                }

                statuses.Add((phase, "GetProduct", (await shop.Products.GetAsync(product.Id)).Status));
                var limitedRead = await limited.GetAsync(product.Id);
                statuses.Add((phase, "GetProduct (rate limited)", limitedRead.Status));
                Assert.True(limitedRead.Headers.ContainsKey("RateLimit-Policy"), $"{phase}: a limited response names its policy");
                statuses.Add((phase, "ListProducts", (await shop.Products.ListAsync("?q=kettle")).Status));
                statuses.Add((phase, "Login", (await shop.Auth.LoginAsync(new { email, password = "correct horse battery staple" })).Status));
                statuses.Add((phase, "Login with a wrong password", (await shop.Auth.LoginAsync(new { email = victim, password = "not the password at all" }, "198.51.100." + i)).Status));
            }
        }

        await FlowAsync("before", 3);
        var clock = Stopwatch.StartNew();
        try
        {
            await LocalServers.StopAsync("redis");
            var fallbackBefore = await FallbackDecisionsAsync();
            await FlowAsync("during", 5);
            Assert.True(await FallbackDecisionsAsync() > fallbackBefore, "while Redis is down the limiter decides in memory");
            foreach (var id in orders)
            {
                await shop.Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Recovery);
            }
        }
        finally
        {
            await LocalServers.StartAsync("redis");
        }

        output.WriteLine($"Redis was down for {clock.Elapsed.TotalSeconds:0.0} s");
        await FlowAsync("after", 3);

        // Caching resumes: a read after the restart writes the product to Redis again (the app's own connection).
        var redis = shop.Products.Host.Get<IConnectionMultiplexer>();
        await Eventually.TrueAsync(async () =>
        {
            await shop.Products.GetAsync(product.Id);
            return redis.IsConnected && redis.GetServers().Any(s => s.IsConnected
                && s.Keys(pattern: shop.ProductEnvironment.RedisPrefix + "*", pageSize: 100).Any(k => k.ToString().Contains(product.Id, StringComparison.Ordinal)));
        }, Recovery, "the product is cached in Redis again after the restart");

        // Limits resume: the rate limiter decides through Redis again (no more in-memory fallback decisions) ...
        await Eventually.TrueAsync(async () =>
        {
            var before = await FallbackDecisionsAsync();
            var read = await limited.GetAsync(product.Id);
            return read.Status == 200 && await FallbackDecisionsAsync() == before;
        }, Recovery, "the rate limiter uses Redis again after the restart");

        // ... and the account lockout (kept in Redis, failing open while it was down) refuses again.
        var lockedOut = false;
        for (var attempt = 0; attempt < 12 && !lockedOut; attempt++)
        {
            var failed = await shop.Auth.LoginAsync(new { email = victim, password = "still not the password" }, "198.51.100.200");
            Assert.True(failed.Status is 401 or 429, failed.ToString());
            lockedOut = failed.Status == 429 && failed.Headers.ContainsKey("Retry-After");
        }

        Assert.True(lockedOut, "the account lockout works again after Redis is back");

        foreach (var group in statuses.GroupBy(s => (s.Phase, s.Call)))
        {
            output.WriteLine($"{group.Key.Phase,-7} {group.Key.Call,-28} {string.Join(",", group.Select(s => s.Status))}");
        }

        Assert.DoesNotContain(statuses, s => s.Status >= 500);
        Assert.All(statuses.Where(s => s.Call is "PlaceOrder"), s => Assert.Equal(202, s.Status));
        Assert.All(statuses.Where(s => s.Call is "GetProduct" or "GetProduct (rate limited)" or "ListProducts" or "Login"), s => Assert.Equal(200, s.Status));
        Assert.All(statuses.Where(s => s.Call is "Login with a wrong password"), s => Assert.True(s.Status is 401 or 429, s.ToString()));

        // No order lost, no effect applied twice: every order confirmed once, the stock taken once per order.
        Assert.Equal(11, orders.Distinct().Count());
        foreach (var id in orders)
        {
            var order = await shop.Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Recovery);
            Assert.Equal(order.History.Select(h => h.Status).Distinct().Count(), order.History.Count);
            Assert.All(await shop.OutboxCountsAsync(id), e => Assert.Equal(1, e.Value));
        }

        var stored = (await shop.Products.ReadStoredAsync(product.Id))!;
        Assert.Equal(100 - orders.Count, stored.Stock);
        Assert.Equal(orders.Count, stored.ReservedFor.Count);
    }
}
