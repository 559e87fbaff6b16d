using System.Diagnostics;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// The MongoDB server restarted under load. With CongoDB (the in-memory stand-in of scripts/servers.sh) a restart
/// loses every document, so this test cannot show durability across a restart; it shows what a restart can show
/// honestly: while the server is down every call is a clean 503 problem+json with Retry-After (never a 500), and once it
/// is back the same app instances serve and place orders again without any manual step.
/// </summary>
[Collection(DependencyOutageCollection.Name)]
public sealed class MongoRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task While_MongoDB_is_down_calls_get_503_with_Retry_After_and_after_its_restart_the_apps_recover_by_themselves()
    {
        var servers = await Servers.RequireAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_MONGODB_URI", servers.MongoUri), "This test restarts MongoDB, which only works with the server of scripts/servers.sh.");
        await using var shop = await FaultShop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 50);
        var (tokens, email, _) = await shop.Auth.NewUserAsync();
        var before = await shop.Orders.PlaceOrderAsync(tokens.AccessToken, product.Id);
        await shop.Orders.WaitForStatusAsync(before, OrderStatus.Confirmed);

        var during = new List<(string Call, TestResponse Response)>();
        var clock = Stopwatch.StartNew();
        try
        {
            await LocalServers.StopAsync("mongodb");
            during.Add(("CreateProduct", await shop.Products.CreateAsync(ProductTestApp.SampleInput())));
            during.Add(("ListProducts", await shop.Products.ListAsync("?q=nothing-cached-" + Guid.NewGuid().ToString("N")[..8])));
            during.Add(("SignUp", await shop.Auth.SignUpAsync(new { email = $"down-{Guid.NewGuid():N}@example.com", password = "correct horse battery staple", displayName = "D" })));
            during.Add(("Login", await shop.Auth.LoginAsync(new { email, password = "correct horse battery staple" })));
            during.Add(("PlaceOrder", await shop.Orders.PlaceAsync(OrderTestApp.SampleOrder(product.Id), tokens.AccessToken, Guid.NewGuid().ToString())));
            during.Add(("GetOrder", await shop.Orders.GetAsync(before, tokens.AccessToken)));
            during.Add(("ListOrders", await shop.Orders.ListAsync(tokens.AccessToken)));
        }
        finally
        {
            await LocalServers.StartAsync("mongodb");
        }

        output.WriteLine($"MongoDB was down for {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var (call, response) in during)
        {
            output.WriteLine($"during the outage {call}: {response.Status} Retry-After={response.Headers.GetValueOrDefault("Retry-After")}");
        }

        Assert.All(during, d =>
        {
            Assert.True(d.Response.Status == 503, $"{d.Call}: {d.Response}");
            Assert.True(int.TryParse(d.Response.Headers.GetValueOrDefault("Retry-After"), out var seconds) && seconds >= 1, $"{d.Call} without Retry-After");
            Assert.StartsWith("application/problem+json", d.Response.ContentType, StringComparison.Ordinal);
            Assert.Equal(503, JsonDocument.Parse(d.Response.Body).RootElement.GetProperty("status").GetInt32());
        });

        // Recovery without manual steps: the same instances (same clients, same pools) work again. The stand-in lost its
        // data in the restart, so the catalog, the account and the order are made anew.
        clock.Restart();
        await Eventually.TrueAsync(async () => (await shop.Products.CreateAsync(ProductTestApp.SampleInput())).Status == 201, Recovery, "products accept writes again");
        var recovered = await shop.Products.CreateProductAsync(stock: 5);
        var user = await shop.Auth.NewUserAsync();
        var after = await shop.Orders.PlaceOrderAsync(user.Tokens.AccessToken, recovered.Id, quantity: 2);
        await shop.Orders.WaitForStatusAsync(after, OrderStatus.Confirmed, Recovery);
        Assert.Equal(3, (await shop.Products.ReadStoredAsync(recovered.Id))!.Stock);
        Assert.All(await shop.OutboxCountsAsync(after), e => Assert.Equal(1, e.Value));
        output.WriteLine($"recovered and confirmed a new order {clock.Elapsed.TotalSeconds:0.0} s after the restart");
    }
}
