namespace Shop.Orders.Payments;

/// <param name="Refunded">True when the money is back with the customer: the authorisation cancelled or the payment refunded.</param>
public sealed record RefundOutcome(bool Refunded, string? PaymentId);
