namespace Shop.Orders.Payments;

/// <summary>
/// A payment provider, keyed by order id: authorise (hold the money) when the order is paid, capture (take it) when
/// it ships, and as the compensation give it back. Each call is idempotent per order id, so a retried activity never
/// charges, captures or refunds twice. A decline is a result; an outage throws
/// <see cref="PaymentGatewayUnavailableException"/>, which the activity retry policy retries.
/// </summary>
public interface IPaymentGateway
{
    Task<PaymentOutcome> AuthorizeAsync(PaymentAuthorization authorization, CancellationToken cancellationToken);

    /// <summary>Takes the money held for the order; a repeat reports the same capture.</summary>
    Task<CaptureOutcome> CaptureAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the money back: cancels an authorisation not yet captured, refunds a captured payment. A no-op when
    /// nothing was authorised (or it was given back already).
    /// </summary>
    Task<RefundOutcome> RefundAsync(string orderId, CancellationToken cancellationToken);
}

/// <summary>
/// What the gateway is asked to authorise. Built inside the authorise activity from the stored payment method; never
/// an orchestration input (<see cref="Workflow.AuthorizeOrderPaymentInput"/> carries only a reference).
/// </summary>
/// <param name="IdempotencyKey">The order id.</param>
/// <param name="Amount">Integer minor units, from the reservation.</param>
public sealed record PaymentAuthorization(string IdempotencyKey, string Token, long Amount, string Currency);

public sealed record PaymentOutcome(bool Approved, string? PaymentId, string? DeclineReason)
{
    public static PaymentOutcome Approve(string paymentId) => new(true, paymentId, null);

    public static PaymentOutcome Decline(string reason) => new(false, null, reason);
}

public sealed record CaptureOutcome(bool Captured, string? PaymentId, string? Reason = null);

/// <param name="Refunded">True when the money is back with the customer: the authorisation cancelled or the payment refunded.</param>
public sealed record RefundOutcome(bool Refunded, string? PaymentId);

public sealed class PaymentGatewayUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
