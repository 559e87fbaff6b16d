using Shop.Orders.Documents;

namespace Shop.Orders.Api;

public sealed record OrderView(
    string Id,
    string UserId,
    OrderStatus Status,
    IReadOnlyList<OrderLine> Items,
    long? Total,
    string? Currency,
    ShippingAddress ShippingAddress,
    IReadOnlyList<StatusChange> History,
    string? Reason,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static OrderView From(Order o) =>
        new(o.Id, o.UserId, o.Status, o.Items, o.Total, o.Currency, o.ShippingAddress, o.History, o.Reason, o.CreatedAt, o.UpdatedAt);
}
