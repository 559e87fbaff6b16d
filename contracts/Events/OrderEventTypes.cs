namespace Shop.Contracts.Events;

/// <summary>The routing keys OrderFunctions publishes to the <c>shop.events</c> exchange.</summary>
public static class OrderEventTypes
{
    public const string Created = "order.created";
    public const string Paid = "order.paid";
    public const string Confirmed = "order.confirmed";
    public const string Shipped = "order.shipped";
    public const string Completed = "order.completed";
    public const string Cancelled = "order.cancelled";
    public const string Failed = "order.failed";

    /// <summary>Deterministic, so a retried transition stores its event once: <c>{orderId}:{type}</c>.</summary>
    public static string IdFor(string orderId, string type) => orderId + ":" + type;
}
