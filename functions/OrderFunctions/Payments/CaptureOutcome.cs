namespace Shop.Orders.Payments;

public sealed record CaptureOutcome(bool Captured, string? PaymentId, string? Reason = null);
