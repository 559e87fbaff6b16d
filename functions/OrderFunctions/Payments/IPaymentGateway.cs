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
