namespace Shop.Contracts.Events;

/// <summary>
/// The data of every order.* event. <see cref="Status"/> is the order status the event reports, camel-case
/// (<c>paid</c>, <c>paymentFailed</c>); nulls are left out on the wire.
/// </summary>
public sealed record OrderEventData(string OrderId, string UserId, string Status, long? Total = null, string? Currency = null, string? Reason = null);
