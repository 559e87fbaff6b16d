using System.Diagnostics;
using Moq;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Orders.Workflow.V1;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// The order orchestration on the real Durable Task engine (in memory, in process): the real orchestrator body and
/// activity classes, a mocked stock service, the sandbox payment gateway and the order documents on the real MongoDB
/// stand-in. Every wait polls a condition with a deadline.
/// </summary>
public sealed class OrderWorkflowTests
{
    private static readonly string ProductId = Ids.New();

    private readonly CallJournal _journal = new();

    private async Task<OrderTestApp> StartAsync(string? rejectStockWith = null, Mock<IStockClient>? stock = null, IDictionary<string, string?>? settings = null)
    {
        OrderTestApp? app = null;
        var payments = Fakes.Payments(_journal, () => app!.Host.Get<SandboxPaymentGateway>());
        app = await OrderTestApp.StartAsync((stock ?? Fakes.Stock(_journal, rejectStockWith)).Object, payments.Object, settings);
        return app;
    }

    [SkippableFact]
    public async Task Happy_path_reserves_charges_ships_delivers_commits_stock_and_completes()
    {
        await using var app = await StartAsync();
        var customer = TestTokens.Customer();
        var admin = TestTokens.Admin();

        var orderId = await app.PlaceOrderAsync(customer, ProductId, quantity: 2);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        Assert.Equal(202, (await app.ShipAsync(orderId, admin)).Status);
        await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
        Assert.Equal(202, (await app.DeliverAsync(orderId, admin)).Status);
        var metadata = await app.WaitForCompletionAsync(orderId);
        var order = (await app.ReadOrderAsync(orderId))!;
        var payment = (await app.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!;

        Assert.Equal(OrderStatus.Completed, metadata.ReadOutputAs<OrderOutcome>()!.Status);
        Assert.Equal(
            [OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.Paid, OrderStatus.Confirmed, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Completed],
            order.History.Select(h => h.Status));
        Assert.Equal(["reserve", "authorize", "capture", "commit"], _journal.Calls);
        Assert.Equal(2 * Fakes.UnitPrice, order.Total);
        Assert.Equal(("Kettle", Fakes.UnitPrice), (order.Items[0].Name, order.Items[0].UnitPrice!.Value));
        Assert.Equal((SandboxPaymentState.Captured, 2 * Fakes.UnitPrice), (payment.State, payment.Amount));
        Assert.Equal(["order.completed", "order.confirmed", "order.created", "order.paid", "order.shipped"], await app.OutboxEventTypesAsync(orderId));
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);
        Assert.Equal(1, metrics.Value("shop_order_transitions_total", ("status", "Paid")));
        Assert.Equal(1, metrics.Value("shop_order_transitions_total", ("status", "Completed")));
        Assert.Equal(1, metrics.Value("shop_orchestration_duration_seconds_count", ("outcome", "Completed")));
    }

    [SkippableFact]
    public async Task Insufficient_stock_rejects_the_order_without_any_payment_call()
    {
        await using var app = await StartAsync(rejectStockWith: "insufficient-stock");

        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        var metadata = await app.WaitForCompletionAsync(orderId);
        var order = (await app.ReadOrderAsync(orderId))!;

        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Rejected, "insufficient-stock"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(["reserve"], _journal.Calls);
        Assert.Equal([OrderStatus.Pending, OrderStatus.Rejected], order.History.Select(h => h.Status));
        Assert.Equal("insufficient-stock", order.Reason);
        Assert.Null(order.Total);
        Assert.Equal(["order.created", "order.failed"], await app.OutboxEventTypesAsync(orderId));
    }

    [SkippableFact]
    public async Task A_declined_payment_releases_the_stock_and_ends_PaymentFailed()
    {
        await using var app = await StartAsync();

        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId, paymentToken: SandboxPaymentGateway.Decline);
        var metadata = await app.WaitForCompletionAsync(orderId);
        var order = (await app.ReadOrderAsync(orderId))!;

        Assert.Equal(new OrderOutcome(orderId, OrderStatus.PaymentFailed, "card_declined"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(["reserve", "authorize", "release"], _journal.Calls);
        Assert.Equal([OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.PaymentFailed], order.History.Select(h => h.Status));
        Assert.Equal(["order.created", "order.failed"], await app.OutboxEventTypesAsync(orderId));
    }

    [SkippableFact]
    public async Task Cancel_before_shipping_refunds_then_releases_in_reverse_order_and_ends_Cancelled()
    {
        await using var app = await StartAsync();
        var customer = TestTokens.Customer();
        var orderId = await app.PlaceOrderAsync(customer, ProductId);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);

        var cancel = await app.CancelAsync(orderId, customer);
        var metadata = await app.WaitForCompletionAsync(orderId);
        var payment = (await app.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!;

        Assert.Equal(202, cancel.Status);
        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Cancelled, "cancelled-by-customer"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(["reserve", "authorize", "refund", "release"], _journal.Calls);
        Assert.Equal(SandboxPaymentState.Cancelled, payment.State);
        Assert.Equal(OrderStatus.Cancelled, (await app.ReadOrderAsync(orderId))!.Status);
        Assert.Equal(["order.cancelled", "order.confirmed", "order.created", "order.paid"], await app.OutboxEventTypesAsync(orderId));
    }

    [SkippableFact]
    public async Task Cancel_while_stock_is_being_reserved_releases_it_and_never_charges()
    {
        var reserveEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reserveMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stock = Fakes.Stock(_journal);
        stock.Setup(s => s.ReserveAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StockItem>>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, IReadOnlyList<StockItem> items, CancellationToken _) =>
            {
                _journal.Add("reserve");
                reserveEntered.TrySetResult();
                await reserveMayFinish.Task;
                return ReservationOutcome.Accepted([.. items.Select(i => new PricedItem(i.ProductId, i.Quantity, "Kettle", 100, "EUR"))], 100, "EUR");
            });
        await using var app = await StartAsync(stock: stock);
        var customer = TestTokens.Customer();
        var orderId = await app.PlaceOrderAsync(customer, ProductId);
        await reserveEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var cancel = await app.CancelAsync(orderId, customer);
        reserveMayFinish.SetResult();
        var metadata = await app.WaitForCompletionAsync(orderId);

        Assert.Equal(202, cancel.Status);
        Assert.Equal(OrderStatus.Cancelled, metadata.ReadOutputAs<OrderOutcome>()!.Status);
        Assert.Equal(["reserve", "release"], _journal.Calls);
        Assert.Null(await app.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None));
    }

    [SkippableFact]
    public async Task No_shipment_within_the_timeout_cancels_refunds_and_releases_on_a_durable_timer()
    {
        await using var app = await StartAsync(settings: new Dictionary<string, string?> { ["Orders:ShipmentTimeout"] = "00:00:02" });
        var clock = Stopwatch.StartNew();

        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        var metadata = await app.WaitForCompletionAsync(orderId);

        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Cancelled, "shipment-timeout"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(["reserve", "authorize", "refund", "release"], _journal.Calls);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(25));
    }

    [SkippableFact]
    public async Task Transient_failures_of_stock_and_payment_are_retried_with_back_off_and_charge_once()
    {
        var stock = Fakes.Stock(_journal);
        var attempts = 0;
        stock.Setup(s => s.ReserveAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StockItem>>(), It.IsAny<CancellationToken>()))
            .Returns((string _, IReadOnlyList<StockItem> items, CancellationToken _) =>
            {
                _journal.Add("reserve");
                return Interlocked.Increment(ref attempts) <= 2
                    ? throw new StockServiceUnavailableException("503 from products")
                    : Task.FromResult(ReservationOutcome.Accepted([.. items.Select(i => new PricedItem(i.ProductId, i.Quantity, "Kettle", 700, "EUR"))], 700, "EUR"));
            });
        await using var app = await StartAsync(stock: stock);

        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId, paymentToken: SandboxPaymentGateway.Transient);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var payment = (await app.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!;

        Assert.Equal(3, _journal.Count("reserve"));
        Assert.Equal(3, _journal.Count("authorize"));
        Assert.Equal((SandboxPaymentState.Authorized, 3, 700L), (payment.State, payment.Attempts, payment.Amount));
        await app.WaitForStepAsync(orderId, "AwaitingShipment", TestTokens.Admin());
    }

    [SkippableFact]
    public async Task A_broken_stock_contract_is_not_retried_and_the_order_is_rejected_after_a_release()
    {
        var stock = Fakes.Stock(_journal);
        stock.Setup(s => s.ReserveAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StockItem>>(), It.IsAny<CancellationToken>()))
            .Callback(() => _journal.Add("reserve"))
            .ThrowsAsync(new StockContractException("Stock reserve answered 401."));
        await using var app = await StartAsync(stock: stock);

        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        var metadata = await app.WaitForCompletionAsync(orderId);

        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Rejected, "stock-unavailable"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(["reserve", "release"], _journal.Calls);
    }

    [SkippableFact]
    public async Task Cancel_after_shipment_is_409_and_the_order_still_completes()
    {
        await using var app = await StartAsync();
        var customer = TestTokens.Customer();
        var admin = TestTokens.Admin();
        var orderId = await app.PlaceOrderAsync(customer, ProductId);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        await app.ShipAsync(orderId, admin);
        await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);

        var byCustomer = await app.CancelAsync(orderId, customer);
        var byAdmin = await app.CancelAsync(orderId, admin);
        await app.DeliverAsync(orderId, admin);
        await app.WaitForCompletionAsync(orderId);
        var afterCompletion = await app.CancelAsync(orderId, customer);

        Assert.Equal((409, 409, 409), (byCustomer.Status, byAdmin.Status, afterCompletion.Status));
        Assert.EndsWith("order-shipped", byCustomer.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json; charset=utf-8", byCustomer.ContentType);
        Assert.Equal(OrderStatus.Completed, (await app.ReadOrderAsync(orderId))!.Status);
        Assert.Equal(0, _journal.Count("refund") + _journal.Count("release"));
        Assert.Equal(1, _journal.Count("capture"));
    }

    [SkippableFact]
    public async Task Replayed_transitions_write_history_and_events_once()
    {
        await using var app = await StartAsync(rejectStockWith: "insufficient-stock");
        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        await app.WaitForCompletionAsync(orderId);
        var activities = new TransitionActivities(app.Host.Get<OrderRecorder>());
        var rejected = (await app.ReadOrderAsync(orderId))!.History[^1];

        var movedAgain = await activities.RecordTransition(
            new TransitionInput(orderId, "someone", OrderStatus.Rejected, rejected.At, "insufficient-stock"), CancellationToken.None);

        Assert.False(movedAgain);
        Assert.Equal(2, (await app.ReadOrderAsync(orderId))!.History.Count);
        Assert.Equal(["order.created", "order.failed"], await app.OutboxEventTypesAsync(orderId));
    }
}
