using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Moq;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Orders.Workflow.V1;
using Shop.Shared.Http;
using Shop.Testing.Durable;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// The lifecycle on the real Durable Task engine: a completed order in four activities (counted
/// from the orchestration's history), exits in few, steps that are safe to repeat, a cancel during authorisation
/// honoured before Confirmed, and an orchestration of the first version finishing on the new build.
/// </summary>
public sealed class OrderLifecycleTests
{
    private static readonly string ProductId = Ids.New();
    private static readonly ILoggerFactory s_durableLogs = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));

    private readonly CallJournal _journal = new();

    [SkippableFact]
    public async Task A_completed_order_is_four_activities_with_the_same_history_events_and_metrics_as_before()
    {
        await using var app = await StartAsync();

        var orderId = await CompleteAnOrderAsync(app);
        var order = (await app.ReadOrderAsync(orderId))!;
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.Equal(4, OrchestrationHistory.CountActivities(app.Durable, orderId));
        Assert.Equal(
            [ActivityNames.ReserveOrderStock, ActivityNames.AuthorizeOrderPayment, ActivityNames.CaptureShippedOrder, ActivityNames.CompleteDeliveredOrder],
            OrchestrationHistory.ActivityNames(app.Durable, orderId));
        Assert.Equal(
            [OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.Paid, OrderStatus.Confirmed, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Completed],
            order.History.Select(h => h.Status));
        Assert.Equal(["order.completed", "order.confirmed", "order.created", "order.paid", "order.shipped"], await app.OutboxEventTypesAsync(orderId));
        Assert.Equal(
            [0, 1, 1, 1, 1, 1, 1],
            new[] { "Pending", "StockReserved", "Paid", "Confirmed", "Shipped", "Delivered", "Completed" }
                .Select(status => metrics.Value("shop_order_transitions_total", ("status", status))));
        Assert.Equal(1, metrics.Value("shop_orchestration_duration_seconds_count", ("outcome", "Completed")));
    }

    [SkippableFact]
    public async Task Exits_record_their_status_in_the_step_that_undoes_a_decline_in_two_activities_a_cancel_after_Confirmed_in_three()
    {
        await using var app = await StartAsync();
        var customer = TestTokens.Customer();

        var declined = await app.PlaceOrderAsync(customer, ProductId, paymentToken: SandboxPaymentGateway.Decline);
        var cancelled = await app.PlaceOrderAsync(customer, ProductId);
        await app.WaitForStatusAsync(cancelled, OrderStatus.Confirmed);
        await app.CancelAsync(cancelled, customer);
        await app.WaitForCompletionAsync(declined);
        await app.WaitForCompletionAsync(cancelled);

        Assert.Equal([ActivityNames.ReserveOrderStock, ActivityNames.AuthorizeOrderPayment], OrchestrationHistory.ActivityNames(app.Durable, declined));
        Assert.Equal(
            [ActivityNames.ReserveOrderStock, ActivityNames.AuthorizeOrderPayment, ActivityNames.ExitOrder],
            OrchestrationHistory.ActivityNames(app.Durable, cancelled));
        Assert.Equal(OrderStatus.PaymentFailed, (await app.ReadOrderAsync(declined))!.Status);
        Assert.Equal(OrderStatus.Cancelled, (await app.ReadOrderAsync(cancelled))!.Status);
    }

    [SkippableFact]
    public async Task A_rejected_reservation_is_one_activity()
    {
        await using var app = await StartAsync(rejectStockWith: "insufficient-stock");

        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        await app.WaitForCompletionAsync(orderId);

        Assert.Equal([ActivityNames.ReserveOrderStock], OrchestrationHistory.ActivityNames(app.Durable, orderId));
        Assert.Equal(["order.created", "order.failed"], await app.OutboxEventTypesAsync(orderId));
    }

    [SkippableFact]
    public async Task A_cancel_while_the_payment_is_authorised_voids_it_and_never_records_Confirmed()
    {
        var authorizeEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var authorizeMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OrderTestApp? app = null;
        var payments = Fakes.Payments(_journal, () => app!.Host.Get<SandboxPaymentGateway>());
        payments.Setup(p => p.AuthorizeAsync(It.IsAny<PaymentAuthorization>(), It.IsAny<CancellationToken>()))
            .Returns(async (PaymentAuthorization authorization, CancellationToken cancellationToken) =>
            {
                _journal.Add("authorize");
                authorizeEntered.TrySetResult();
                await authorizeMayFinish.Task;
                return await app!.Host.Get<SandboxPaymentGateway>().AuthorizeAsync(authorization, cancellationToken);
            });
        await using var started = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object, payments.Object);
        app = started;
        var customer = TestTokens.Customer();
        var orderId = await app.PlaceOrderAsync(customer, ProductId);
        await authorizeEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var cancel = await app.CancelAsync(orderId, customer);
        authorizeMayFinish.SetResult();
        var metadata = await app.WaitForCompletionAsync(orderId);
        var order = (await app.ReadOrderAsync(orderId))!;
        var payment = (await app.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!;

        Assert.Equal(202, cancel.Status);
        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Cancelled, "cancelled-by-customer"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal([OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.Cancelled], order.History.Select(h => h.Status));
        Assert.Equal(SandboxPaymentState.Cancelled, payment.State);
        Assert.Equal(["reserve", "authorize", "refund", "release"], _journal.Calls);
        Assert.Equal(["order.cancelled", "order.created"], await app.OutboxEventTypesAsync(orderId));
    }

    [SkippableFact]
    public async Task A_repeated_authorise_step_after_Confirmed_records_nothing_twice_and_stores_each_event_once()
    {
        await using var app = await StartAsync();
        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        var confirmed = await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var activities = ActivatorUtilities.CreateInstance<OrderLifecycleActivities>(app.Host.Services);

        var again = await activities.AuthorizeOrderPayment(
            new AuthorizeOrderPaymentInput(orderId, confirmed.UserId, orderId, confirmed.Total!.Value, confirmed.Currency!), CancellationToken.None);
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.Equal(OrderStatus.Confirmed, again.Status);
        Assert.Equal(confirmed.History, (await app.ReadOrderAsync(orderId))!.History);
        Assert.Equal(["order.confirmed", "order.created", "order.paid"], await app.OutboxEventTypesAsync(orderId));
        Assert.Equal(1, metrics.Value("shop_order_transitions_total", ("status", "Confirmed")));
        Assert.Equal(2, _journal.Count("authorize"));
        Assert.Equal(SandboxPaymentState.Authorized, (await app.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!.State);
    }

    [SkippableFact]
    public async Task Repeated_ship_and_deliver_steps_after_completion_record_nothing_twice_and_store_each_event_once()
    {
        await using var app = await StartAsync();
        var orderId = await CompleteAnOrderAsync(app);
        var completed = (await app.ReadOrderAsync(orderId))!;
        var activities = ActivatorUtilities.CreateInstance<OrderLifecycleActivities>(app.Host.Services);
        var step = new OrderStepInput(orderId, completed.UserId);

        var capture = await activities.CaptureShippedOrder(step, CancellationToken.None);
        await activities.CompleteDeliveredOrder(step, CancellationToken.None);
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.True(capture.Captured);
        Assert.Equal(completed.History, (await app.ReadOrderAsync(orderId))!.History);
        Assert.Equal(["order.completed", "order.confirmed", "order.created", "order.paid", "order.shipped"], await app.OutboxEventTypesAsync(orderId));
        Assert.Equal((1, 1), (metrics.Value("shop_order_transitions_total", ("status", "Shipped")), metrics.Value("shop_order_transitions_total", ("status", "Completed"))));
        Assert.Equal(1, metrics.Value("shop_orchestration_duration_seconds_count", ("outcome", "Completed")));
    }

    /// <summary>
    /// A deployment, on one task hub: the previous build's worker (only the first version registered, as it shipped)
    /// starts the order and stops while it awaits shipment; the new build's worker (both versions registered) replays the
    /// stored history under the old name and finishes it with the old activities and the same events.
    /// </summary>
    [SkippableFact]
    public async Task An_orchestration_the_first_version_started_finishes_on_the_new_build()
    {
        await using var app = await StartAsync();
        var userId = Ids.New();
        var admin = TestTokens.Admin();
        var port = InProcessDurableEngine.FreePort();
        var (sidecarHost, orchestrations) = await InProcessDurableEngine.StartSidecarAsync(s_durableLogs, port);
        using var sidecar = sidecarHost;
        var orderId = Ids.New();
        using (var previousChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}"))
        using (var previousBuild = await InProcessDurableEngine.StartWorkerAsync(
            previousChannel, registry => OrderWorkflowRegistry.RegisterV1(registry, app.Host.Services), s_durableLogs, orchestrations))
        {
            var previousClient = previousBuild.Services.GetRequiredService<DurableTaskClient>();
            await PlaceAsThePreviousBuildDidAsync(app, previousClient, orderId, userId);
            await Eventually.TrueAsync(
                async () => (await previousClient.GetInstanceAsync(orderId, getInputsAndOutputs: true))?.SerializedCustomStatus == $"\"{OrderSteps.AwaitingShipment}\"",
                TimeSpan.FromSeconds(30), "the first version's orchestration awaits shipment");
            await previousBuild.StopAsync();
        }

        using var newChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        using var newBuild = await InProcessDurableEngine.StartWorkerAsync(
            newChannel, registry => OrderWorkflowRegistry.Register(registry, app.Host.Services), s_durableLogs, orchestrations);
        var client = newBuild.Services.GetRequiredService<DurableTaskClient>();
        Assert.Equal(202, (await app.ShipAsync(orderId, admin, client)).Status);
        await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
        Assert.Equal(202, (await app.DeliverAsync(orderId, admin, client)).Status);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var metadata = await client.WaitForInstanceCompletionAsync(orderId, getInputsAndOutputs: true, deadline.Token);
        var order = (await app.ReadOrderAsync(orderId))!;
        var activities = OrchestrationHistory.ActivityNames(newBuild.Services, orderId);
        await newBuild.StopAsync();
        await sidecar.StopAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Completed), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(OrderOrchestrationV1.Name, metadata.Name);
        Assert.Equal(
            [OrderStatus.Pending, OrderStatus.StockReserved, OrderStatus.Paid, OrderStatus.Confirmed, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Completed],
            order.History.Select(h => h.Status));
        Assert.Equal(["order.completed", "order.confirmed", "order.created", "order.paid", "order.shipped"], await app.OutboxEventTypesAsync(orderId));
        Assert.Equal(["reserve", "authorize", "capture", "commit"], _journal.Calls);
        Assert.Equal(11, activities.Count);
        Assert.Equal([V1ActivityNames.CapturePayment, V1ActivityNames.RecordTransition, V1ActivityNames.CommitStock, V1ActivityNames.RecordTransition], activities.TakeLast(4));
    }

    /// <summary>What the previous placement wrote before it scheduled the first version: the Pending order and the payment method.</summary>
    private static async Task PlaceAsThePreviousBuildDidAsync(OrderTestApp app, DurableTaskClient client, string orderId, string userId)
    {
        var now = DateTime.UtcNow;
        await app.Host.Get<OrderStore>().TryInsertAsync(new Order
        {
            Id = orderId,
            UserId = userId,
            Status = OrderStatus.Pending,
            RequestHash = "previous-build",
            Items = [new OrderLine(ProductId, 1)],
            ShippingAddress = new ShippingAddress("Ada Lovelace", "12 St James's Square", null, "London", "SW1Y 4JH", "GB"),
            History = [new StatusChange(OrderStatus.Pending, now)],
            Reached = new Dictionary<string, DateTime>(StringComparer.Ordinal) { [nameof(OrderStatus.Pending)] = now },
            CreatedAt = now,
            UpdatedAt = now,
            ScheduledAt = now,
        }, CancellationToken.None);
        var reference = await app.Host.Get<PaymentMethodStore>().SaveAsync(orderId, SandboxPaymentGateway.Approve, now, CancellationToken.None);
        var input = new OrderInput(orderId, userId, [new StockItem(ProductId, 1)], reference, TimeSpan.FromDays(3), new RetrySettings(4, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)));
        await client.ScheduleNewOrchestrationInstanceAsync(OrderOrchestrationV1.Name, input, new StartOrchestrationOptions(orderId));
    }

    /// <summary>Places an order and takes it through shipment and delivery to Completed; returns its id.</summary>
    private static async Task<string> CompleteAnOrderAsync(OrderTestApp app)
    {
        var admin = TestTokens.Admin();
        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        await app.ShipAsync(orderId, admin);
        await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
        await app.DeliverAsync(orderId, admin);
        await app.WaitForCompletionAsync(orderId);
        return orderId;
    }

    private async Task<OrderTestApp> StartAsync(string? rejectStockWith = null)
    {
        OrderTestApp? app = null;
        var payments = Fakes.Payments(_journal, () => app!.Host.Get<SandboxPaymentGateway>());
        app = await OrderTestApp.StartAsync(Fakes.Stock(_journal, rejectStockWith).Object, payments.Object);
        return app;
    }
}
