using Shop.Orders.Documents;

namespace Shop.Orders.Workflow;

/// <summary>The orchestration's output.</summary>
public sealed record OrderOutcome(string OrderId, OrderStatus Status, string? Reason = null);
