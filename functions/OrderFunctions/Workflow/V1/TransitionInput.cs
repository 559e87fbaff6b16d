using Shop.Orders.Documents;

namespace Shop.Orders.Workflow.V1;

public sealed record TransitionInput(
    string OrderId,
    string UserId,
    OrderStatus Status,
    DateTime At,
    string? Reason = null,
    OrderPricing? Pricing = null);
