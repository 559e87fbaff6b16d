using Shop.Orders.Documents;

namespace Shop.Orders.Workflow;

/// <summary>The events an order publishes (through the outbox), one per status that other services care about.</summary>
public static class OrderIntegrationEvents
{
    public const string Created = "order.created";
    public const string Paid = "order.paid";
    public const string Confirmed = "order.confirmed";
    public const string Shipped = "order.shipped";
    public const string Completed = "order.completed";
    public const string Cancelled = "order.cancelled";
    public const string Failed = "order.failed";

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
    public static string IdFor(string orderId, string type) => orderId + ":" + type;
}

/// <summary>The data of every order event (nulls are left out on the wire, hence the optional members).</summary>
public sealed record OrderEventData(string OrderId, string UserId, OrderStatus Status, long? Total = null, string? Currency = null, string? Reason = null);
