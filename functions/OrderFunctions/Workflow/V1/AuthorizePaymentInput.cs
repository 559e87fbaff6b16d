namespace Shop.Orders.Workflow.V1;

/// <summary>The authorise activity's input: a reference to the stored payment method, never the token itself.</summary>
/// <param name="Amount">Integer minor units, from the reservation.</param>
public sealed record AuthorizePaymentInput(string OrderId, string PaymentReference, long Amount, string Currency);
