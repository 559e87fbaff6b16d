using Moq;
using Shop.Orders.Documents;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Shared.Http;
using Shop.Testing.Durable;

namespace Shop.IntegrationTests.Orders;

/// <summary>Several orders in flight at once on the in-process engine (see <see cref="InProcessDurableEngine"/>).</summary>
public sealed class ConcurrentOrderTests
{
    private const int InFlight = 8;

    [SkippableFact]
    public async Task Eight_orders_reserve_stock_at_the_same_time_and_all_complete()
    {
        // Every reservation waits until all eight are running at once. At the package's own limit (one activity per
        // core) the eight could never meet and each would give up after the wait below.
        var waiting = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stock = Fakes.Stock(new CallJournal());
        stock.Setup(s => s.ReserveAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StockItem>>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, IReadOnlyList<StockItem> items, CancellationToken cancellationToken) =>
            {
                if (Interlocked.Increment(ref waiting) >= InFlight)
                {
                    allArrived.TrySetResult();
                }

                try
                {
                    await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                }
                catch (TimeoutException)
                {
                    // A retry of this activity must not count twice: only reservations waiting at the same time meet.
                    Interlocked.Decrement(ref waiting);
                    throw;
                }
                return Fakes.Accepted(items);
            });
        await using var app = await OrderTestApp.StartAsync(stock.Object);
        var admin = TestTokens.Admin();
        var productId = Ids.New();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), productId);
            await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
            await app.ShipAsync(orderId, admin);
            await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
            await app.DeliverAsync(orderId, admin);
            return (await app.WaitForCompletionAsync(orderId)).ReadOutputAs<OrderOutcome>()!.Status;
        }));

        Assert.True(allArrived.Task.IsCompletedSuccessfully, $"only {waiting} reservations ran at once");
        Assert.All(outcomes, status => Assert.Equal(OrderStatus.Completed, status));
    }
}
