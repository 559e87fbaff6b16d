namespace Shop.Contracts.Reservations;

public enum ReservationStatus
{
    Pending,
    Reserved,
    Rejected,
    Released,
    Committed,
}

/// <summary>What the order may charge for: price and name as the catalog had them at reservation time.</summary>
public sealed record ReservedItem(string ProductId, int Quantity, string Name, long UnitPrice, string Currency);

/// <summary>The 200 answer of a reservation; prices in integer minor units.</summary>
public sealed record ReservationView(string OrderId, ReservationStatus Status, IReadOnlyList<ReservedItem> Items, long Total, string? Currency)
{
    public static ReservationView Of(string orderId, ReservationStatus status, IReadOnlyList<ReservedItem> items) =>
        new(orderId, status, items, items.Sum(i => i.UnitPrice * i.Quantity), items.Count > 0 ? items[0].Currency : null);
}
