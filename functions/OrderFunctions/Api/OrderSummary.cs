using Shop.Orders.Documents;

namespace Shop.Orders.Api;

public sealed record OrderSummary(string Id, string UserId, OrderStatus Status, int ItemCount, long? Total, string? Currency, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static OrderSummary From(Order o) =>
        new(o.Id, o.UserId, o.Status, o.Items.Count, o.Total, o.Currency, o.CreatedAt, o.UpdatedAt);
}
