using Shop.Orders.Documents;

namespace Shop.Orders.Workflow;

/// <summary>
/// One write to the order: through <paramref name="Statuses"/> (usually one; Paid and Confirmed travel together).
/// </summary>
/// <param name="UnlessCancelRequested">Not applied when a cancel was requested (<see cref="Order.CancelReason"/>).</param>
public sealed record OrderTransition(
    string OrderId,
    string UserId,
    IReadOnlyList<OrderStatus> Statuses,
    DateTime At,
    string? Reason = null,
    OrderPricing? Pricing = null,
    bool UnlessCancelRequested = false);
