using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Shop.Shared.Http;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// MongoDB frozen (SIGSTOP): pooled connections stay open and requests sent on them are never answered, unlike a
/// stopped server whose connections fail at once. Unlike a restart of the in-memory stand-in, a freeze keeps the data,
/// so this test can also show that a write in flight during the freeze is applied once or not at all.
/// </summary>
[Collection(DependencyOutageCollection.Name)]
public sealed class FrozenMongoTests(ITestOutputHelper output)
{
    private const string Password = "correct horse battery staple";
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task While_MongoDB_is_frozen_calls_get_503_with_Retry_After_before_their_deadline_and_after_it_continues_every_write_is_applied_once()
    {
        var servers = await Servers.RequireAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_MONGODB_URI", servers.MongoUri), "This test pauses MongoDB, which only works with the server of scripts/servers.sh.");
        await using var shop = await FaultShop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 50);
        var (tokens, email, _) = await shop.Auth.NewUserAsync();
        var before = await shop.Orders.PlaceOrderAsync(tokens.AccessToken, product.Id);
        await shop.Orders.WaitForStatusAsync(before, OrderStatus.Confirmed);
        var deadline = shop.Products.Host.Get<IOptions<RequestTimeoutOptions>>().Value.Default;
        var version = (await shop.Products.ReadStoredAsync(product.Id))!.Version;
        var rename = ProductTestApp.SampleInput(sku: product.Sku, stock: 49, name: "Renamed while MongoDB was frozen");
        var orderKey = Guid.NewGuid().ToString();
        var calls = new TimedCalls();

        var frozenFor = Stopwatch.StartNew();
        try
        {
            await LocalServers.PauseAsync("mongodb");
            // All at once, as a real burst would arrive: each waits on the frozen server by itself.
            await Task.WhenAll(
                calls.RunAsync("during", "ReplaceProduct", () => shop.Products.ReplaceAsync(product.Id, rename, $"\"{version}\"")),
                calls.RunAsync("during", "CreateProduct", () => shop.Products.CreateAsync(ProductTestApp.SampleInput())),
                calls.RunAsync("during", "ListProducts", () => shop.Products.ListAsync("?q=nothing-cached-" + Guid.NewGuid().ToString("N")[..8])),
                calls.RunAsync("during", "SignUp", () => shop.Auth.SignUpAsync(new { email = $"frozen-{Guid.NewGuid():N}@example.com", password = Password, displayName = "F" })),
                calls.RunAsync("during", "Login", () => shop.Auth.LoginAsync(new { email, password = Password })),
                calls.RunAsync("during", "PlaceOrder", () => shop.Orders.PlaceAsync(OrderTestApp.SampleOrder(product.Id), tokens.AccessToken, orderKey)),
                calls.RunAsync("during", "GetOrder", () => shop.Orders.GetAsync(before, tokens.AccessToken)),
                calls.RunAsync("during", "ListOrders", () => shop.Orders.ListAsync(tokens.AccessToken)));
        }
        finally
        {
            await LocalServers.ResumeAsync("mongodb");
        }

        output.WriteLine($"MongoDB was frozen for {frozenFor.Elapsed.TotalSeconds:0.0} s (request deadline {deadline.TotalSeconds:0} s)");
        calls.Report(output);
        // The driver's monitor notices the frozen server within a heartbeat (10 s) and pauses the pool, and server
        // selection gives up after Mongo:ServerSelectionTimeout: a 503 well inside the request deadline, not a 504.
        Assert.All(calls.All, c =>
        {
            Assert.True(c.Elapsed < deadline, $"{c.Call} took {c.Elapsed.TotalSeconds:0.0} s");
            Assert.True(c.Response.Status == 503, $"{c.Call}: {c.Response}");
            Assert.True(int.TryParse(c.Response.Headers.GetValueOrDefault("Retry-After"), out var seconds) && seconds >= 1, $"{c.Call} without Retry-After: {c.Response}");
            Assert.StartsWith("application/problem+json", c.Response.ContentType, StringComparison.Ordinal);
            Assert.Equal(c.Response.Status, JsonDocument.Parse(c.Response.Body).RootElement.GetProperty("status").GetInt32());
        });

        // Recovery without a restart: the same app instances, the data kept by the freeze.
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await shop.Products.CreateAsync(ProductTestApp.SampleInput())).Status == 201, Recovery, "products accept writes again");
        output.WriteLine($"writes accepted again {clock.Elapsed.TotalSeconds:0.0} s after the freeze ended");

        // The rename sent during the freeze was applied once or not at all: the version says which, and the client's
        // retry with the same If-Match either applies it now or is told (412) that it already happened.
        var afterFreeze = (await shop.Products.ReadStoredAsync(product.Id))!;
        var appliedDuringFreeze = afterFreeze.Version == version + 1;
        Assert.True(afterFreeze.Version == version || appliedDuringFreeze, $"version {version} became {afterFreeze.Version}");
        Assert.Equal(appliedDuringFreeze, afterFreeze.Name == "Renamed while MongoDB was frozen");
        var retried = await shop.Products.ReplaceAsync(product.Id, rename, $"\"{version}\"");
        Assert.Equal(appliedDuringFreeze ? 412 : 200, retried.Status);
        Assert.Equal(version + 1, (await shop.Products.ReadStoredAsync(product.Id))!.Version);
        output.WriteLine($"the rename sent during the freeze was {(appliedDuringFreeze ? "applied then" : "not applied")}; its retry answered {retried.Status}");

        // The order refused during the freeze, retried with the same Idempotency-Key, becomes exactly one order.
        TestResponse placed = calls.All.Single(c => c.Call == "PlaceOrder").Response;
        await Eventually.TrueAsync(async () =>
        {
            placed = await shop.Orders.PlaceAsync(OrderTestApp.SampleOrder(product.Id), tokens.AccessToken, orderKey);
            return placed.Status == 202;
        }, Recovery, "the order's retry is accepted");
        var orderId = placed.Document.GetProperty("orderId").GetString()!;
        await shop.Orders.WaitForStatusAsync(orderId, OrderStatus.Confirmed, Recovery);
        var mine = await shop.Orders.ListAsync(tokens.AccessToken);
        Assert.Equal(200, mine.Status);
        Assert.Equal(2, mine.Document.GetProperty("total").GetInt32());
        Assert.All(await shop.OutboxCountsAsync(orderId), e => Assert.Equal(1, e.Value));
        Assert.Equal(48, (await shop.Products.ReadStoredAsync(product.Id))!.Stock);
        Assert.Equal(200, (await shop.Auth.LoginAsync(new { email, password = Password })).Status);
    }
}
