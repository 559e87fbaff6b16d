using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Shop.Products.Reservations;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// ProductFunctions unreachable from OrderFunctions: connections refused (the request never arrives), then answers lost
/// (the request arrives and takes effect, the caller sees a reset). Each outage outlasts the stock client's retries and
/// the workflow's retry policy, so reservations fail for good and their releases keep failing until the link is back.
/// </summary>
[Collection(DependencyOutageCollection.Name)]
public sealed class StockServiceUnreachableTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task Orders_placed_while_the_stock_service_is_unreachable_end_Completed_or_Rejected_with_their_stock_released_and_say_so()
    {
        await Servers.RequireAsync();
        await using var shop = await FaultShop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 10);
        var customer = TestTokens.Customer("customer-" + Guid.NewGuid().ToString("N")[..8]);
        var clock = Stopwatch.StartNew();

        // A short outage: the workflow's retries outlast it and the order goes through.
        shop.Link.Set(CuttableLink.Mode.RefuseConnections);
        var survived = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 2);
        await Eventually.TrueAsync(() => shop.Link.Failed >= 2, Timeout, "the reservation was refused at least twice");
        shop.Link.Set(CuttableLink.Mode.Up);
        await shop.Orders.WaitForStatusAsync(survived, OrderStatus.Confirmed, Timeout);

        // Long outages: the reservation fails for good and the order waits, compensating, until its release gets through.
        shop.Link.Set(CuttableLink.Mode.RefuseConnections);
        var neverArrived = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 1);
        var refusedStatus = await shop.Orders.WaitForStepAsync(neverArrived, "Compensating", customer, Timeout);
        shop.Link.Set(CuttableLink.Mode.LoseResponses);
        var answersLost = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 3);
        var lostStatus = await shop.Orders.WaitForStepAsync(answersLost, "Compensating", customer, Timeout);
        var reservations = shop.Products.Host.Get<ReservationStore>();
        await Eventually.TrueAsync(async () => (await reservations.FindAsync(answersLost, CancellationToken.None))?.Status == ReservationStatus.Released,
            Timeout, "a release got through while its answer was lost");
        var stillCompensating = await shop.Orders.ReadOrderAsync(answersLost);
        var failedCalls = shop.Link.Failed;
        shop.Link.Set(CuttableLink.Mode.Up);
        output.WriteLine($"{failedCalls} stock calls failed over {clock.Elapsed.TotalSeconds:0.0} s of outages");

        var rejectedRefused = await shop.Orders.WaitForStatusAsync(neverArrived, OrderStatus.Rejected, Timeout);
        var rejectedLost = await shop.Orders.WaitForStatusAsync(answersLost, OrderStatus.Rejected, Timeout);
        var afterwards = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 1);
        await shop.Orders.WaitForStatusAsync(afterwards, OrderStatus.Confirmed, Timeout);
        foreach (var id in new[] { survived, afterwards })
        {
            Assert.Equal(202, (await shop.Orders.ShipAsync(id, TestTokens.Admin())).Status);
            await shop.Orders.WaitForStatusAsync(id, OrderStatus.Shipped, Timeout);
            Assert.Equal(202, (await shop.Orders.DeliverAsync(id, TestTokens.Admin())).Status);
            await shop.Orders.WaitForStatusAsync(id, OrderStatus.Completed, Timeout);
        }

        // While compensating, the customer saw an order still pending and what it was doing, never a failure.
        foreach (var status in new[] { refusedStatus, lostStatus })
        {
            Assert.Equal(nameof(OrderStatus.Pending), status.Document.GetProperty("orderStatus").GetString(), ignoreCase: true);
            Assert.Equal("Running", status.Document.GetProperty("runtimeStatus").GetString(), ignoreCase: true);
        }

        // The lost answers hid a reservation that did take stock and a release that gave it back, neither of which the
        // workflow heard of; the refused one never reached the catalog and left only a tombstone.
        Assert.Equal(OrderStatus.Pending, stillCompensating!.Status);
        Assert.Equal(3, Assert.Single((await reservations.FindAsync(answersLost, CancellationToken.None))!.Items).Quantity);
        Assert.Empty((await reservations.FindAsync(neverArrived, CancellationToken.None))!.Items);
        Assert.Equal("stock-unavailable", rejectedRefused.Reason);
        Assert.Equal("stock-unavailable", rejectedLost.Reason);
        var rejectedView = await shop.Orders.GetAsync(answersLost, customer);
        Assert.Equal(nameof(OrderStatus.Rejected), rejectedView.Document.GetProperty("status").GetString(), ignoreCase: true);
        Assert.Equal("stock-unavailable", rejectedView.Document.GetProperty("reason").GetString());

        // No order lost, no stock held by a failed order: only the two completed orders took stock, once each.
        var stored = (await shop.Products.ReadStoredAsync(product.Id))!;
        Assert.Equal(10 - 2 - 1, stored.Stock);
        Assert.Empty(stored.ReservedFor);
        Assert.Equal(4, (await shop.Orders.ListAsync(customer)).Document.GetProperty("total").GetInt32());
        foreach (var id in new[] { survived, neverArrived, answersLost, afterwards })
        {
            Assert.All(await shop.OutboxCountsAsync(id), e => Assert.Equal(1, e.Value));
        }
    }
}
