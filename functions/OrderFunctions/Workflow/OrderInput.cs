using Shop.Orders.Stock;

namespace Shop.Orders.Workflow;

/// <summary>
/// Everything the orchestration needs, fixed when it starts: settings travel in the input (not read from
/// configuration inside the orchestrator) so every replay sees the same values. The input is readable through the
/// host's durable status API, so the client's payment token is not in it: <see cref="PaymentReference"/> names the
/// token stored at placement (<see cref="Payments.PaymentMethodStore"/>). Both orchestrator versions read this shape.
/// </summary>
public sealed record OrderInput(
    string OrderId,
    string UserId,
    IReadOnlyList<StockItem> Items,
    string PaymentReference,
    TimeSpan ShipmentTimeout,
    RetrySettings Retry);
