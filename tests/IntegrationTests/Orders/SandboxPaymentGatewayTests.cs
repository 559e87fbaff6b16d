using Shop.Orders.Payments;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Orders;

/// <summary>The sandbox gateway against the real MongoDB stand-in: deterministic by token, idempotent by key.</summary>
public sealed class SandboxPaymentGatewayTests
{
    private static PaymentAuthorization Authorization(string token, string? key = null) => new(key ?? Ids.New(), token, 4200, "EUR");

    [SkippableFact]
    public async Task Tokens_decide_the_outcome()
    {
        await using var app = await OrderTestApp.StartAsync();
        var gateway = app.Host.Get<SandboxPaymentGateway>();

        var approved = await gateway.AuthorizeAsync(Authorization(SandboxPaymentGateway.Approve), CancellationToken.None);
        var declined = await gateway.AuthorizeAsync(Authorization(SandboxPaymentGateway.Decline), CancellationToken.None);
        var unknown = await gateway.AuthorizeAsync(Authorization("tok_whatever"), CancellationToken.None);

        Assert.True(approved.Approved);
        Assert.Equal((false, "card_declined"), (declined.Approved, declined.DeclineReason));
        Assert.Equal((false, "invalid_token"), (unknown.Approved, unknown.DeclineReason));
    }

    [SkippableFact]
    public async Task Concurrent_repeats_of_one_authorization_charge_once_and_agree()
    {
        await using var app = await OrderTestApp.StartAsync();
        var gateway = app.Host.Get<SandboxPaymentGateway>();
        var authorization = Authorization(SandboxPaymentGateway.Approve);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => gateway.AuthorizeAsync(authorization, CancellationToken.None)));
        var stored = (await gateway.FindAsync(authorization.IdempotencyKey, CancellationToken.None))!;

        Assert.Single(outcomes.Distinct());
        Assert.True(outcomes[0].Approved);
        Assert.Equal((SandboxPaymentState.Authorized, 10), (stored.State, stored.Attempts));
    }

    [SkippableFact]
    public async Task The_transient_token_fails_the_configured_number_of_times_then_charges()
    {
        await using var app = await OrderTestApp.StartAsync(extraSettings: new Dictionary<string, string?> { ["Payments:TransientFailures"] = "3" });
        var gateway = app.Host.Get<SandboxPaymentGateway>();
        var authorization = Authorization(SandboxPaymentGateway.Transient);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await Assert.ThrowsAsync<PaymentGatewayUnavailableException>(() => gateway.AuthorizeAsync(authorization, CancellationToken.None));
        }

        var fourth = await gateway.AuthorizeAsync(authorization, CancellationToken.None);

        Assert.True(fourth.Approved);
    }

    [SkippableFact]
    public async Task Refunds_are_idempotent_and_a_refund_of_nothing_is_a_no_op()
    {
        await using var app = await OrderTestApp.StartAsync();
        var gateway = app.Host.Get<SandboxPaymentGateway>();
        var authorization = Authorization(SandboxPaymentGateway.Approve);
        var charge = await gateway.AuthorizeAsync(authorization, CancellationToken.None);

        var first = await gateway.RefundAsync(authorization.IdempotencyKey, CancellationToken.None);
        var second = await gateway.RefundAsync(authorization.IdempotencyKey, CancellationToken.None);
        var nothing = await gateway.RefundAsync(Ids.New(), CancellationToken.None);
        var declined = Authorization(SandboxPaymentGateway.Decline);
        await gateway.AuthorizeAsync(declined, CancellationToken.None);
        var ofDecline = await gateway.RefundAsync(declined.IdempotencyKey, CancellationToken.None);

        Assert.Equal(new RefundOutcome(true, charge.PaymentId), first);
        Assert.Equal(first, second);
        Assert.False(nothing.Refunded);
        Assert.False(ofDecline.Refunded);
    }

    [SkippableFact]
    public async Task Capture_takes_an_authorisation_once_and_a_refund_after_it_refunds_instead_of_cancelling()
    {
        await using var app = await OrderTestApp.StartAsync();
        var gateway = app.Host.Get<SandboxPaymentGateway>();
        var authorization = Authorization(SandboxPaymentGateway.Approve);
        var approved = await gateway.AuthorizeAsync(authorization, CancellationToken.None);

        var captures = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => gateway.CaptureAsync(authorization.IdempotencyKey, CancellationToken.None)));
        var captured = (await gateway.FindAsync(authorization.IdempotencyKey, CancellationToken.None))!.State;
        var refund = await gateway.RefundAsync(authorization.IdempotencyKey, CancellationToken.None);
        var captureAfterRefund = await gateway.CaptureAsync(authorization.IdempotencyKey, CancellationToken.None);

        Assert.All(captures, c => Assert.Equal(new CaptureOutcome(true, approved.PaymentId), c));
        Assert.Equal(SandboxPaymentState.Captured, captured);
        Assert.Equal(new RefundOutcome(true, approved.PaymentId), refund);
        Assert.Equal(SandboxPaymentState.Refunded, (await gateway.FindAsync(authorization.IdempotencyKey, CancellationToken.None))!.State);
        Assert.True(captureAfterRefund.Captured);
    }

    [SkippableFact]
    public async Task A_refund_before_capture_cancels_the_authorisation_and_nothing_can_be_captured_after_it()
    {
        await using var app = await OrderTestApp.StartAsync();
        var gateway = app.Host.Get<SandboxPaymentGateway>();
        var authorization = Authorization(SandboxPaymentGateway.Approve);
        await gateway.AuthorizeAsync(authorization, CancellationToken.None);

        var refund = await gateway.RefundAsync(authorization.IdempotencyKey, CancellationToken.None);
        var capture = await gateway.CaptureAsync(authorization.IdempotencyKey, CancellationToken.None);
        var captureOfNothing = await gateway.CaptureAsync(Ids.New(), CancellationToken.None);

        Assert.True(refund.Refunded);
        Assert.Equal(SandboxPaymentState.Cancelled, (await gateway.FindAsync(authorization.IdempotencyKey, CancellationToken.None))!.State);
        Assert.Equal((false, "Cancelled"), (capture.Captured, capture.Reason));
        Assert.Equal((false, "no-authorization"), (captureOfNothing.Captured, captureOfNothing.Reason));
    }

    [SkippableFact]
    public async Task A_payment_recorded_as_Charged_before_capture_existed_is_captured_or_cancelled_like_an_authorisation()
    {
        await using var app = await OrderTestApp.StartAsync();
        var gateway = app.Host.Get<SandboxPaymentGateway>();
        var (toShip, toCancel) = (Ids.New(), Ids.New());
        foreach (var id in new[] { toShip, toCancel })
        {
            await app.Collection<SandboxPayment>(SandboxPaymentGateway.CollectionName).InsertOneAsync(new SandboxPayment
            {
                Id = id, Token = SandboxPaymentGateway.Approve, Amount = 100, Currency = "EUR", State = SandboxPaymentState.Charged,
                PaymentId = "pay_" + id, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
        }

        var capture = await gateway.CaptureAsync(toShip, CancellationToken.None);
        var refund = await gateway.RefundAsync(toCancel, CancellationToken.None);

        Assert.Equal(new CaptureOutcome(true, "pay_" + toShip), capture);
        Assert.Equal(new RefundOutcome(true, "pay_" + toCancel), refund);
        Assert.Equal(SandboxPaymentState.Cancelled, (await gateway.FindAsync(toCancel, CancellationToken.None))!.State);
    }
}
