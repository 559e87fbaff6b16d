namespace Shop.Orders.Workflow;

/// <summary>The authorise step's input: a reference to the stored payment method, never the token itself.</summary>
/// <param name="Amount">Integer minor units, from the reservation.</param>
public sealed record AuthorizeOrderPaymentInput(string OrderId, string UserId, string PaymentReference, long Amount, string Currency);
