using Shop.Orders.Documents;

namespace Shop.Orders.Workflow;

/// <summary>What an exit undoes (the payment first, then the stock: newest first) before it records the final status.</summary>
public sealed record ExitOrderInput(string OrderId, string UserId, OrderStatus Status, string Reason, bool RefundPayment, bool ReleaseStock);
