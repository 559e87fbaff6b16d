using Shop.Orders.Documents;

namespace Shop.Orders.Workflow;

/// <summary>
/// The status a step recorded: StockReserved (with the reserved total) or Rejected from the reserve step; Confirmed,
/// PaymentFailed or Cancelled from the authorise step. A finished status means the step also undid what came before.
/// </summary>
/// <param name="Total">Integer minor units, from the reservation.</param>
public sealed record OrderStepOutcome(OrderStatus Status, string? Reason = null, long Total = 0, string? Currency = null);
