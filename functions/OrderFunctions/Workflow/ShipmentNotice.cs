namespace Shop.Orders.Workflow;

/// <summary>The payload of <see cref="OrderEvents.Ship"/>.</summary>
public sealed record ShipmentNotice(string ShippedBy);
