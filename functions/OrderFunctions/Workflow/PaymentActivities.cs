using Microsoft.Azure.Functions.Worker;
using Shop.Orders.Payments;

namespace Shop.Orders.Workflow;

/// <summary>The payment steps of an order; the order id is the provider's idempotency key.</summary>
public sealed class PaymentActivities(IPaymentGateway gateway)
{
    [Function(ActivityNames.AuthorizePayment)]
    public Task<PaymentOutcome> AuthorizePayment([ActivityTrigger] PaymentAuthorization authorization, CancellationToken cancellationToken) =>
        gateway.AuthorizeAsync(authorization, cancellationToken);

    [Function(ActivityNames.RefundPayment)]
    public Task<RefundOutcome> RefundPayment([ActivityTrigger] string orderId, CancellationToken cancellationToken) =>
        gateway.RefundAsync(orderId, cancellationToken);
}
