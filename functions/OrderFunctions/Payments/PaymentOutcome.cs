namespace Shop.Orders.Payments;

public sealed record PaymentOutcome(bool Approved, string? PaymentId, string? DeclineReason)
{
    public static PaymentOutcome Approve(string paymentId) => new(true, paymentId, null);

    public static PaymentOutcome Decline(string reason) => new(false, null, reason);
}
