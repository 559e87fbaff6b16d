using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Shop.Shared.Mongo;
using Shop.Shared.Time;

namespace Shop.Orders.Payments;

/// <summary>
/// A deterministic stand-in for a payment provider, keyed by token: <c>tok_approve</c> is authorised,
/// <c>tok_decline</c> is declined, <c>tok_transient</c> fails transiently
/// <see cref="SandboxPaymentOptions.TransientFailures"/> times and is then authorised; any other token is declined as
/// invalid. Capture, cancel and refund follow the authorisation like a provider with manual capture. Like a real
/// provider it keeps its ledger server-side (collection <c>sandboxPayments</c>, <c>_id</c> = order id), so a retry on
/// any instance finds the first decision and never charges twice.
/// </summary>
public sealed class SandboxPaymentGateway(
    IMongoDatabase database,
    IOptions<SandboxPaymentOptions> options,
    TimeProvider time,
    ILogger<SandboxPaymentGateway> logger) : IPaymentGateway
{
    public const string CollectionName = "sandboxPayments";
    public const string Approve = "tok_approve";
    public const string Decline = "tok_decline";
    public const string Transient = "tok_transient";

    private readonly IMongoCollection<SandboxPayment> _payments = database.GetCollection<SandboxPayment>(CollectionName);

    public async Task<PaymentOutcome> AuthorizeAsync(PaymentAuthorization authorization, CancellationToken cancellationToken)
    {
        var key = authorization.IdempotencyKey;
        var now = time.UtcNow();
        // The first attempt for this key creates the record; later ones (retries, other instances) find it.
        await _payments.TryInsertOneAsync(new SandboxPayment
        {
            Id = key, Token = authorization.Token, Amount = authorization.Amount, Currency = authorization.Currency,
            State = SandboxPaymentState.Pending, CreatedAt = now, UpdatedAt = now,
        }, cancellationToken);

        var payment = await _payments.FindOneAndUpdateAsync(
            p => p.Id == key,
            Builders<SandboxPayment>.Update.Inc(p => p.Attempts, 1),
            new FindOneAndUpdateOptions<SandboxPayment> { ReturnDocument = ReturnDocument.After },
            cancellationToken);
        if (payment.State != SandboxPaymentState.Pending)
        {
            return Outcome(payment);
        }

        if (payment.Token == Transient && payment.Attempts <= options.Value.TransientFailures)
        {
            logger.LogInformation("Sandbox payment {Key}: simulated outage, attempt {Attempt}", key, payment.Attempts);
            throw new PaymentGatewayUnavailableException($"Sandbox gateway unavailable (attempt {payment.Attempts}).");
        }

        var (state, declineReason) = payment.Token switch
        {
            Approve or Transient => (SandboxPaymentState.Authorized, (string?)null),
            Decline => (SandboxPaymentState.Declined, "card_declined"),
            _ => (SandboxPaymentState.Declined, "invalid_token"),
        };
        // Decided once: a concurrent attempt that lost this race returns the winner's decision below.
        await _payments.UpdateOneAsync(
            p => p.Id == key && p.State == SandboxPaymentState.Pending,
            Builders<SandboxPayment>.Update
                .Set(p => p.State, state)
                .Set(p => p.PaymentId, state == SandboxPaymentState.Authorized ? "pay_" + key : null)
                .Set(p => p.DeclineReason, declineReason)
                .Set(p => p.UpdatedAt, time.UtcNow()),
            cancellationToken: cancellationToken);
        return Outcome(await FindAsync(key, cancellationToken) ?? throw new PaymentGatewayUnavailableException("The payment vanished."));
    }

    public async Task<CaptureOutcome> CaptureAsync(string orderId, CancellationToken cancellationToken)
    {
        await MoveAsync(orderId, SandboxPaymentState.Authorized, SandboxPaymentState.Captured, cancellationToken);
        await MoveAsync(orderId, SandboxPaymentState.Charged, SandboxPaymentState.Captured, cancellationToken);
        var payment = await FindAsync(orderId, cancellationToken);
        return payment is { State: SandboxPaymentState.Captured or SandboxPaymentState.Refunded }
            ? new CaptureOutcome(true, payment.PaymentId)
            : new CaptureOutcome(false, payment?.PaymentId, payment is null ? "no-authorization" : payment.State.ToString());
    }

    public async Task<RefundOutcome> RefundAsync(string orderId, CancellationToken cancellationToken)
    {
        await MoveAsync(orderId, SandboxPaymentState.Authorized, SandboxPaymentState.Cancelled, cancellationToken);
        await MoveAsync(orderId, SandboxPaymentState.Charged, SandboxPaymentState.Cancelled, cancellationToken);
        await MoveAsync(orderId, SandboxPaymentState.Captured, SandboxPaymentState.Refunded, cancellationToken);
        var payment = await FindAsync(orderId, cancellationToken);
        return payment is { State: SandboxPaymentState.Cancelled or SandboxPaymentState.Refunded }
            ? new RefundOutcome(true, payment.PaymentId)
            : new RefundOutcome(false, null);
    }

    public Task<SandboxPayment?> FindAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        _payments.Find(p => p.Id == idempotencyKey).FirstOrDefaultAsync(cancellationToken)!;

    /// <summary>One conditional update: of concurrent repeats exactly one moves the state, the others find it moved.</summary>
    private Task<UpdateResult> MoveAsync(string orderId, SandboxPaymentState from, SandboxPaymentState to, CancellationToken cancellationToken) =>
        _payments.UpdateOneAsync(
            p => p.Id == orderId && p.State == from,
            Builders<SandboxPayment>.Update.Set(p => p.State, to).Set(p => p.UpdatedAt, time.UtcNow()),
            cancellationToken: cancellationToken);

    private static PaymentOutcome Outcome(SandboxPayment payment) => payment.State switch
    {
        SandboxPaymentState.Pending or SandboxPaymentState.Declined => PaymentOutcome.Decline(payment.DeclineReason ?? "declined"),
        _ => PaymentOutcome.Approve(payment.PaymentId!),
    };
}
