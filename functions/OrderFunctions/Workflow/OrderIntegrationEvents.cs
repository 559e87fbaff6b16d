using System.Text.Json;
using Shop.Contracts.Events;
using Shop.Orders.Documents;

namespace Shop.Orders.Workflow;

/// <summary>
/// Which event an order's transition publishes (through the outbox). The names and the data are the contract's
/// (<see cref="OrderEventTypes"/>, <see cref="OrderEventData"/>); this class maps the order's own statuses onto them.
/// </summary>
public static class OrderIntegrationEvents
{
    public const string Created = OrderEventTypes.Created;
    public const string Paid = OrderEventTypes.Paid;
    public const string Confirmed = OrderEventTypes.Confirmed;
    public const string Shipped = OrderEventTypes.Shipped;
    public const string Completed = OrderEventTypes.Completed;
    public const string Cancelled = OrderEventTypes.Cancelled;
    public const string Failed = OrderEventTypes.Failed;

    /// <summary>The event a transition publishes; StockReserved and Delivered are internal steps and publish none.</summary>
    public static string? TypeFor(OrderStatus status) => status switch
    {
        OrderStatus.Pending => Created,
        OrderStatus.Paid => Paid,
        OrderStatus.Confirmed => Confirmed,
        OrderStatus.Shipped => Shipped,
        OrderStatus.Completed => Completed,
        OrderStatus.Cancelled => Cancelled,
        OrderStatus.Rejected or OrderStatus.PaymentFailed => Failed,
        _ => null,
    };

    /// <summary>Deterministic, so a retried transition stores its event once: <c>{orderId}:{type}</c>.</summary>
    public static string IdFor(string orderId, string type) => OrderEventTypes.IdFor(orderId, type);

    /// <summary>The event's data, with the status written as the wire writes enums (camel case).</summary>
    public static OrderEventData DataFor(
        string orderId, string userId, OrderStatus status, long? total = null, string? currency = null, string? reason = null) =>
        new(orderId, userId, JsonNamingPolicy.CamelCase.ConvertName(status.ToString()), total, currency, reason);
}
