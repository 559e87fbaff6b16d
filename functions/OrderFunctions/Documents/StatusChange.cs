namespace Shop.Orders.Documents;

public sealed record StatusChange(OrderStatus Status, DateTime At, string? Reason = null);
