using Shop.Orders.Documents;
using Shop.Orders.Stock;

namespace Shop.Orders.Workflow;

/// <summary>
/// Everything the orchestration needs, fixed when it starts: settings travel in the input (not read from
/// configuration inside the orchestrator) so every replay sees the same values. The input is readable through the
/// host's durable status API, so the client's payment token is not in it: <see cref="PaymentReference"/> names the
/// token stored at placement (<see cref="Payments.PaymentMethodStore"/>).
/// </summary>
public sealed record OrderInput(
    string OrderId,
    string UserId,
    IReadOnlyList<StockItem> Items,
    string PaymentReference,
    TimeSpan ShipmentTimeout,
    RetrySettings Retry);

public sealed record RetrySettings(int MaxAttempts, TimeSpan FirstRetryInterval, TimeSpan MaxRetryInterval)
{
    public static RetrySettings From(ActivityRetryOptions options) =>
        new(options.MaxAttempts, options.FirstRetryInterval, options.MaxRetryInterval);
}

/// <summary>The orchestration's output.</summary>
public sealed record OrderOutcome(string OrderId, OrderStatus Status, string? Reason = null);

public sealed record TransitionInput(
    string OrderId,
    string UserId,
    OrderStatus Status,
    DateTime At,
    string? Reason = null,
    OrderPricing? Pricing = null);

public sealed record ReserveStockInput(string OrderId, IReadOnlyList<StockItem> Items);

/// <summary>The authorise activity's input: a reference to the stored payment method, never the token itself.</summary>
/// <param name="Amount">Integer minor units, from the reservation.</param>
public sealed record AuthorizePaymentInput(string OrderId, string PaymentReference, long Amount, string Currency);

/// <summary>The external events the API raises on an order's orchestration.</summary>
public static class OrderEvents
{
    public const string Cancel = "Cancel";
    public const string Ship = "Ship";
    public const string Deliver = "Deliver";
}

public sealed record CancelRequest(string RequestedBy, bool ByAdmin);

public sealed record ShipmentNotice(string ShippedBy);

public sealed record DeliveryNotice(string ConfirmedBy);

/// <summary>
/// The custom status of the orchestration: the step it is on. It is saved when an orchestrator episode ends, so it
/// can trail the order document (written by activities) by one step for a moment.
/// </summary>
public static class OrderSteps
{
    public const string Recording = "Recording";
    public const string ReservingStock = "ReservingStock";
    public const string AuthorizingPayment = "AuthorizingPayment";
    public const string Confirming = "Confirming";
    public const string AwaitingShipment = "AwaitingShipment";
    public const string CapturingPayment = "CapturingPayment";
    public const string AwaitingDelivery = "AwaitingDelivery";
    public const string CommittingStock = "CommittingStock";
    public const string Compensating = "Compensating";
}

public static class ActivityNames
{
    public const string ReserveStock = "ReserveStock";
    public const string ReleaseStock = "ReleaseStock";
    public const string CommitStock = "CommitStock";
    public const string AuthorizePayment = "AuthorizePayment";
    public const string CapturePayment = "CapturePayment";
    public const string RefundPayment = "RefundPayment";
    public const string RecordTransition = "RecordTransition";
}
