namespace Shop.Contracts.Reservations;

/// <summary>The body of POST internal/reservations: every item or none, idempotent per order id.</summary>
public sealed record ReservationRequest(string OrderId, IReadOnlyList<ReservationLine> Items);

public sealed record ReservationLine(string ProductId, int Quantity);
