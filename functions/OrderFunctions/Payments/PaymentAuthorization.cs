namespace Shop.Orders.Payments;

/// <summary>
/// What the gateway is asked to authorise. Built inside the authorise activity from the stored payment method; never
/// an orchestration input (<see cref="Workflow.AuthorizeOrderPaymentInput"/> carries only a reference).
/// </summary>
/// <param name="IdempotencyKey">The order id.</param>
/// <param name="Amount">Integer minor units, from the reservation.</param>
public sealed record PaymentAuthorization(string IdempotencyKey, string Token, long Amount, string Currency);
