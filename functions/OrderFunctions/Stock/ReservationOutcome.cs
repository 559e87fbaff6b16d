namespace Shop.Orders.Stock;

public sealed record ReservationOutcome(bool Reserved, string? Reason, IReadOnlyList<PricedItem> Items, long Total, string? Currency)
{
    public static ReservationOutcome Accepted(IReadOnlyList<PricedItem> items, long total, string? currency) => new(true, null, items, total, currency);

    public static ReservationOutcome Rejected(string reason) => new(false, reason, [], 0, null);
}
