using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Workflow;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Payments;

/// <summary>
/// Whole orders on the in-process Durable engine with the Stripe provider pointed at <see cref="FakeStripe"/>: the
/// real placement, orchestration and activities, a mocked stock service, every log line of the app recorded.
/// </summary>
public sealed class StripeOrderJourneyTests : IAsyncLifetime
{
    private static readonly string ProductId = Ids.New();

    private readonly CallJournal _journal = new();
    private readonly RecordingLoggerProvider _logs = new();
    // Unique, so finding it anywhere cannot be a coincidence.
    private readonly string _paymentMethod = "pm_card_visa_" + Guid.NewGuid().ToString("N");
    private FakeStripe _stripe = null!;
    private OrderTestApp _app = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object, extraSettings: _stripe.Settings(), overrides: services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(RecordingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [SkippableFact]
    public async Task An_order_is_authorised_when_paid_captured_when_shipped_and_its_token_shows_in_no_workflow_view_or_log()
    {
        var customer = TestTokens.Customer();
        var admin = TestTokens.Admin();

        var orderId = await _app.PlaceOrderAsync(customer, ProductId, quantity: 2, paymentToken: _paymentMethod);
        await _app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var authorised = _stripe.IntentFor(orderId);
        Assert.Equal(202, (await _app.ShipAsync(orderId, admin)).Status);
        await _app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
        await Eventually.TrueAsync(() => _stripe.StatusOf(authorised!.Value.Id) == "succeeded", TimeSpan.FromSeconds(30), "the PaymentIntent is captured");
        Assert.Equal(202, (await _app.DeliverAsync(orderId, admin)).Status);
        var metadata = await _app.WaitForCompletionAsync(orderId);

        Assert.Equal("requires_capture", authorised?.Status);
        Assert.Equal(OrderStatus.Completed, metadata.ReadOutputAs<OrderOutcome>()!.Status);
        var create = Assert.Single(_stripe.RequestsTo("POST", "/v1/payment_intents"));
        Assert.Equal((_paymentMethod, "5000", "eur"), (create.Form["payment_method"], create.Form["amount"], create.Form["currency"]));
        Assert.Single(_stripe.RequestsTo("POST", $"/v1/payment_intents/{authorised!.Value.Id}/capture"));
        Assert.Empty(_stripe.RequestsTo("POST", $"/v1/payment_intents/{authorised.Value.Id}/cancel"));
        Assert.Empty(_stripe.RequestsTo("POST", "/v1/refunds"));
        Assert.Equal(["reserve", "commit"], _journal.Calls);
        await AssertTokenIsOnlyInThePaymentMethodStoreAsync(orderId, metadata, customer);
    }

    [SkippableFact]
    public async Task A_cancel_before_shipment_cancels_the_authorisation_and_refunds_nothing()
    {
        var customer = TestTokens.Customer();
        var orderId = await _app.PlaceOrderAsync(customer, ProductId, paymentToken: _paymentMethod);
        await _app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);

        Assert.Equal(202, (await _app.CancelAsync(orderId, customer)).Status);
        var metadata = await _app.WaitForCompletionAsync(orderId);

        Assert.Equal(new OrderOutcome(orderId, OrderStatus.Cancelled, "cancelled-by-customer"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal("canceled", _stripe.IntentFor(orderId)?.Status);
        Assert.Empty(_stripe.RequestsTo("POST", "/v1/refunds"));
        Assert.Equal(["reserve", "release"], _journal.Calls);
        await AssertTokenIsOnlyInThePaymentMethodStoreAsync(orderId, metadata, customer);
    }

    [SkippableFact]
    public async Task A_declined_card_ends_PaymentFailed_with_the_stock_released_and_nothing_to_cancel()
    {
        var orderId = await _app.PlaceOrderAsync(TestTokens.Customer(), ProductId, paymentToken: "pm_card_chargeDeclined");
        var metadata = await _app.WaitForCompletionAsync(orderId);

        Assert.Equal(new OrderOutcome(orderId, OrderStatus.PaymentFailed, "card_declined"), metadata.ReadOutputAs<OrderOutcome>());
        Assert.Equal(["reserve", "release"], _journal.Calls);
        Assert.Single(_stripe.Requests);
    }

    [SkippableFact]
    public async Task A_Stripe_outage_during_authorisation_is_retried_by_the_activity_and_charges_once()
    {
        _stripe.FailNext(FakeStripeFault.Answer503);
        _stripe.FailNext(FakeStripeFault.DropAfterProcessing);

        var orderId = await _app.PlaceOrderAsync(TestTokens.Customer(), ProductId, paymentToken: _paymentMethod);
        await _app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);

        Assert.Equal(1, _stripe.IntentsCreated);
        // 503 (nothing done), then processed with the response lost, then the same key replayed.
        Assert.Equal(
            [(503, false), (200, false), (200, true)],
            _stripe.RequestsTo("POST", "/v1/payment_intents").Select(r => (r.Status, r.Replayed)));
    }

    private async Task AssertTokenIsOnlyInThePaymentMethodStoreAsync(string orderId, OrchestrationMetadata metadata, string customer)
    {
        var stored = await _app.Collection<StoredPaymentMethod>(PaymentMethodStore.CollectionName).Find(m => m.Id == orderId).SingleAsync();
        Assert.Equal(_paymentMethod, stored.Token);
        Assert.Equal(orderId, metadata.ReadInputAs<OrderInput>()!.PaymentReference);

        var places = new Dictionary<string, string?>
        {
            ["orchestration input"] = metadata.SerializedInput,
            ["orchestration output"] = metadata.SerializedOutput,
            ["orchestration custom status"] = metadata.SerializedCustomStatus,
            ["GET /orders/{id}"] = (await _app.GetAsync(orderId, customer)).Body,
            ["GET /orders"] = (await _app.ListAsync(customer)).Body,
            ["GET /orders/{id}/status"] = (await _app.StatusAsync(orderId, customer)).Body,
            ["the order document"] = System.Text.Json.JsonSerializer.Serialize(await _app.ReadOrderAsync(orderId)),
            ["log lines"] = string.Join('\n', _logs.Lines.Select(l => l.Message)),
        };
        Assert.Contains(_logs.Lines, l => l.Message.Contains(orderId, StringComparison.Ordinal));
        Assert.All(places, place => Assert.False(place.Value?.Contains(_paymentMethod, StringComparison.Ordinal) ?? false, $"The token is in the {place.Key}."));
    }
}
