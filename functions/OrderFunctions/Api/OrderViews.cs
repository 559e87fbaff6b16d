using Shop.Orders.Documents;

namespace Shop.Orders.Api;

/// <summary>The 202 body of a placed order (stored and replayed for the same Idempotency-Key).</summary>
public sealed record OrderAccepted(string OrderId, OrderStatus Status, string StatusUrl);

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

public sealed record OrderSummary(string Id, string UserId, OrderStatus Status, int ItemCount, long? Total, string? Currency, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static OrderSummary From(Order o) =>
        new(o.Id, o.UserId, o.Status, o.Items.Count, o.Total, o.Currency, o.CreatedAt, o.UpdatedAt);
}

public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, int Page, int PageSize, long Total);

/// <summary>GET /api/orders/{id}/status: the orchestration as the Durable backend sees it.</summary>
public sealed record OrderRuntimeView(
    string OrderId,
    OrderStatus OrderStatus,
    string RuntimeStatus,
    string? Step,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastUpdatedAt);

/// <summary>The 202 body of cancel, ship and deliver: the request was handed to the orchestration.</summary>
public sealed record OrderCommandAccepted(string OrderId, string Requested, OrderStatus Status, string StatusUrl);

public static class OrderUrls
{
    public static string Status(string orderId) => $"/api/orders/{orderId}/status";
}
