using Shop.Orders.Documents;

namespace Shop.Orders.Api;

/// <summary>GET /api/orders/{id}/status: the orchestration as the Durable backend sees it.</summary>
public sealed record OrderRuntimeView(
    string OrderId,
    OrderStatus OrderStatus,
    string RuntimeStatus,
    string? Step,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastUpdatedAt);
