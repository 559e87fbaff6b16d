namespace Shop.Orders.Workflow;

/// <summary>The input of the steps that need only the order: ship and complete.</summary>
public sealed record OrderStepInput(string OrderId, string UserId);
