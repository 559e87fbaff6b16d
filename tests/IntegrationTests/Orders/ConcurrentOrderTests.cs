using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Shop.Orders.Workflow;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Orders;

/// <summary>Several orders in flight at once on the in-process engine (see <see cref="InProcessDurableEngine"/>).</summary>
public sealed class ConcurrentOrderTests
{
    private const int InFlight = 8;

    [SkippableFact]
    public async Task Eight_orders_in_flight_all_complete_without_the_engine_throttling_them()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);
        var admin = TestTokens.Admin();
        var productId = Ids.New();
        var clock = Stopwatch.StartNew();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), productId);
            await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
            await app.ShipAsync(orderId, admin);
            await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
            await app.DeliverAsync(orderId, admin);
            return (await app.WaitForCompletionAsync(orderId)).ReadOutputAs<OrderOutcome>()!.Status;
        }));

        Assert.All(outcomes, status => Assert.Equal(OrderStatus.Completed, status));
        // At the package's own limit (one work item per core, then a 500 ms poll) these take about 20 s on 2 cores
        // (benchmark 5c); with the limit raised, about 1 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{InFlight} orders in flight took {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
