namespace Shop.Contracts.Reservations;

/// <summary>The 200 answer of a reservation; prices in integer minor units.</summary>
public sealed record ReservationView(string OrderId, ReservationStatus Status, IReadOnlyList<ReservedItem> Items, long Total, string? Currency)
{
    public static ReservationView Of(string orderId, ReservationStatus status, IReadOnlyList<ReservedItem> items) =>
        new(orderId, status, items, items.Sum(i => i.UnitPrice * i.Quantity), items.Count > 0 ? items[0].Currency : null);
}
