namespace Shop.Orders.Payments;

/// <summary>
/// A payment provider. Both calls carry an idempotency key (the order id): the provider must treat a repeat as the
/// same operation, so a retried activity never charges or refunds twice. A decline is a result; an outage throws
/// <see cref="PaymentGatewayUnavailableException"/>.
/// </summary>
public interface IPaymentGateway
{
    Task<PaymentOutcome> AuthorizeAsync(PaymentAuthorization authorization, CancellationToken cancellationToken);

    /// <summary>Refunds what was charged under the key; a no-op when nothing was (or it was refunded already).</summary>
    Task<RefundOutcome> RefundAsync(string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>Amount in integer minor units, from the reservation.</summary>
public sealed record PaymentAuthorization(string IdempotencyKey, string Token, long Amount, string Currency);

public sealed record PaymentOutcome(bool Approved, string? PaymentId, string? DeclineReason)
{
    public static PaymentOutcome Approve(string paymentId) => new(true, paymentId, null);

    public static PaymentOutcome Decline(string reason) => new(false, null, reason);
}

public sealed record RefundOutcome(bool Refunded, string? PaymentId);

public sealed class PaymentGatewayUnavailableException(string message) : Exception(message);
