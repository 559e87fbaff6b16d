using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Shop.Orders.Payments;

namespace Shop.Orders.Workflow;

/// <summary>The payment steps of an order; each is idempotent per order id at the provider.</summary>
public sealed class PaymentActivities(IPaymentGateway gateway, PaymentMethodStore paymentMethods, ILogger<PaymentActivities> logger)
{
    /// <summary>Reads the client's token by reference here, so it never enters the orchestration's history.</summary>
    [Function(ActivityNames.AuthorizePayment)]
    public async Task<PaymentOutcome> AuthorizePayment([ActivityTrigger] AuthorizePaymentInput input, CancellationToken cancellationToken)
    {
        var token = await paymentMethods.FindTokenAsync(input.PaymentReference, cancellationToken);
        if (token is null)
        {
            logger.LogError("Order {OrderId}: no stored payment method for its reference", input.OrderId);
            return PaymentOutcome.Decline("payment-method-missing");
        }

        return await gateway.AuthorizeAsync(new PaymentAuthorization(input.OrderId, token, input.Amount, input.Currency), cancellationToken);
    }

    [Function(ActivityNames.CapturePayment)]
    public Task<CaptureOutcome> CapturePayment([ActivityTrigger] string orderId, CancellationToken cancellationToken) =>
        gateway.CaptureAsync(orderId, cancellationToken);

    [Function(ActivityNames.RefundPayment)]
    public Task<RefundOutcome> RefundPayment([ActivityTrigger] string orderId, CancellationToken cancellationToken) =>
        gateway.RefundAsync(orderId, cancellationToken);
}
