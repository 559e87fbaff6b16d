namespace Shop.Orders.Workflow;

/// <summary>The payload of <see cref="OrderEvents.Deliver"/>.</summary>
public sealed record DeliveryNotice(string ConfirmedBy);
