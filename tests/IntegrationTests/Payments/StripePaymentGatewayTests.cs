using Shop.Orders.Payments;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Payments;

/// <summary>
/// The Stripe provider, built by the app's own DI, against <see cref="FakeStripe"/> (its ledger on the real MongoDB
/// stand-in). A retry here is what the activity retry policy does: the same call again.
/// </summary>
public sealed class StripePaymentGatewayTests : IAsyncLifetime
{
    private readonly string _orderId = Ids.New();
    private FakeStripe _stripe = null!;
    private OrderTestApp _app = null!;

    private IPaymentGateway Gateway => _app.Host.Get<IPaymentGateway>();

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _app = await OrderTestApp.StartAsync(extraSettings: _stripe.Settings());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private PaymentAuthorization Authorization(string paymentMethod = "pm_card_visa") => new(_orderId, paymentMethod, 4200, "EUR");

    [SkippableFact]
    public async Task An_approved_card_is_authorised_for_manual_capture_under_the_orders_authorise_key()
    {
        var outcome = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);

        Assert.IsType<StripePaymentGateway>(Gateway);
        var create = Assert.Single(_stripe.RequestsTo("POST", "/v1/payment_intents"));
        Assert.True(outcome.Approved);
        Assert.Equal(_stripe.IntentFor(_orderId), (outcome.PaymentId!, "requires_capture"));
        Assert.Equal(_orderId + "-authorize", create.IdempotencyKey);
        Assert.Equal("Bearer " + FakeStripe.SecretKey, create.Authorization);
        Assert.Equal(
            ("4200", "eur", "pm_card_visa", "manual", "true", _orderId),
            (create.Form["amount"], create.Form["currency"], create.Form["payment_method"], create.Form["capture_method"], create.Form["confirm"], create.Form["metadata[order_id]"]));
    }

    [SkippableTheory]
    [InlineData("pm_card_chargeDeclined", "card_declined")]
    [InlineData("pm_card_authenticationRequired", "requires_action")]
    [InlineData("pm_does_not_exist", "invalid_payment_method")]
    public async Task A_decline_is_a_result_with_its_reason_not_an_exception(string paymentMethod, string reason)
    {
        var outcome = await Gateway.AuthorizeAsync(Authorization(paymentMethod), CancellationToken.None);

        Assert.Equal(PaymentOutcome.Decline(reason), outcome);
    }

    [SkippableTheory]
    [InlineData(FakeStripeFault.Answer503)]
    [InlineData(FakeStripeFault.Answer429)]
    [InlineData(FakeStripeFault.DropBeforeProcessing)]
    [InlineData(FakeStripeFault.DropAfterProcessing)]
    public async Task A_transient_failure_throws_for_the_retry_policy_and_the_retry_authorises_exactly_once(FakeStripeFault fault)
    {
        _stripe.FailNext(fault);

        await Assert.ThrowsAsync<PaymentGatewayUnavailableException>(() => Gateway.AuthorizeAsync(Authorization(), CancellationToken.None));
        var retried = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);

        Assert.True(retried.Approved);
        Assert.Equal(1, _stripe.IntentsCreated);
        Assert.All(_stripe.RequestsTo("POST", "/v1/payment_intents"), r => Assert.Equal(_orderId + "-authorize", r.IdempotencyKey));
        // Stripe.net's own retries are off: one request per call.
        Assert.Equal(2, _stripe.Requests.Count);
    }

    [SkippableFact]
    public async Task A_duplicate_authorisation_is_replayed_by_its_idempotency_key_and_creates_one_PaymentIntent()
    {
        var first = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);
        var second = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, _stripe.IntentsCreated);
        Assert.Equal([false, true], _stripe.RequestsTo("POST", "/v1/payment_intents").Select(r => r.Replayed));
    }

    [SkippableFact]
    public async Task Capture_takes_the_authorisation_once_under_the_orders_capture_key()
    {
        var authorised = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);

        var first = await Gateway.CaptureAsync(_orderId, CancellationToken.None);
        var again = await Gateway.CaptureAsync(_orderId, CancellationToken.None);

        Assert.Equal(new CaptureOutcome(true, authorised.PaymentId), first);
        Assert.Equal(first, again);
        Assert.Equal("succeeded", _stripe.StatusOf(authorised.PaymentId!));
        var captures = _stripe.RequestsTo("POST", $"/v1/payment_intents/{authorised.PaymentId}/capture");
        Assert.All(captures, r => Assert.Equal(_orderId + "-capture", r.IdempotencyKey));
        Assert.Equal([false, true], captures.Select(r => r.Replayed));
    }

    [SkippableFact]
    public async Task A_capture_after_a_lost_response_finds_the_payment_captured()
    {
        var authorised = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);
        _stripe.FailNext(FakeStripeFault.DropAfterProcessing);

        await Assert.ThrowsAsync<PaymentGatewayUnavailableException>(() => Gateway.CaptureAsync(_orderId, CancellationToken.None));
        var retried = await Gateway.CaptureAsync(_orderId, CancellationToken.None);

        Assert.Equal(new CaptureOutcome(true, authorised.PaymentId), retried);
    }

    [SkippableFact]
    public async Task The_compensation_before_capture_cancels_the_authorisation_and_refunds_nothing()
    {
        var authorised = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);

        var outcome = await Gateway.RefundAsync(_orderId, CancellationToken.None);
        var again = await Gateway.RefundAsync(_orderId, CancellationToken.None);

        Assert.Equal(new RefundOutcome(true, authorised.PaymentId), outcome);
        Assert.Equal(outcome, again);
        Assert.Equal("canceled", _stripe.StatusOf(authorised.PaymentId!));
        var cancel = Assert.Single(_stripe.RequestsTo("POST", $"/v1/payment_intents/{authorised.PaymentId}/cancel"));
        Assert.Equal(_orderId + "-cancel", cancel.IdempotencyKey);
        Assert.Empty(_stripe.RequestsTo("POST", "/v1/refunds"));
    }

    [SkippableFact]
    public async Task The_compensation_after_capture_refunds_once_under_the_orders_refund_key()
    {
        var authorised = await Gateway.AuthorizeAsync(Authorization(), CancellationToken.None);
        await Gateway.CaptureAsync(_orderId, CancellationToken.None);

        var outcome = await Gateway.RefundAsync(_orderId, CancellationToken.None);
        var again = await Gateway.RefundAsync(_orderId, CancellationToken.None);

        Assert.Equal(new RefundOutcome(true, authorised.PaymentId), outcome);
        Assert.Equal(outcome, again);
        var refunds = _stripe.RequestsTo("POST", "/v1/refunds");
        Assert.All(refunds, r => Assert.Equal((_orderId + "-refund", authorised.PaymentId), (r.IdempotencyKey, r.Form["payment_intent"])));
        Assert.Equal([false, true], refunds.Select(r => r.Replayed));
        Assert.Empty(_stripe.RequestsTo("POST", $"/v1/payment_intents/{authorised.PaymentId}/cancel"));
    }

    [SkippableFact]
    public async Task A_compensation_or_capture_with_nothing_authorised_calls_nothing()
    {
        await Gateway.AuthorizeAsync(Authorization("pm_card_chargeDeclined"), CancellationToken.None);
        var requestsBefore = _stripe.Requests.Count;

        var refund = await Gateway.RefundAsync(_orderId, CancellationToken.None);
        var capture = await Gateway.CaptureAsync(_orderId, CancellationToken.None);

        Assert.Equal(new RefundOutcome(false, null), refund);
        Assert.Equal(new CaptureOutcome(false, null, "no-authorization"), capture);
        Assert.Equal(requestsBefore, _stripe.Requests.Count);
    }

    [SkippableFact]
    public async Task A_wrong_secret_key_is_not_a_decline_and_the_error_names_no_key()
    {
        await using var app = await OrderTestApp.StartAsync(extraSettings: new Dictionary<string, string?>(_stripe.Settings()) { ["Payments:Stripe:SecretKey"] = "sk_test_wrong_key_42" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => app.Host.Get<IPaymentGateway>().AuthorizeAsync(Authorization(), CancellationToken.None));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_test", error.Message, StringComparison.Ordinal);
    }
}
