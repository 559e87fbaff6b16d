using Shop.Orders.Documents;

namespace Shop.Orders.Api;

/// <summary>The 202 body of cancel, ship and deliver: the request was handed to the orchestration.</summary>
public sealed record OrderCommandAccepted(string OrderId, string Requested, OrderStatus Status, string StatusUrl);
