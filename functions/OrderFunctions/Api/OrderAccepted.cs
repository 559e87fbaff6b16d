using Shop.Orders.Documents;

namespace Shop.Orders.Api;

/// <summary>The 202 body of a placed order (stored and replayed for the same Idempotency-Key).</summary>
public sealed record OrderAccepted(string OrderId, OrderStatus Status, string StatusUrl);
