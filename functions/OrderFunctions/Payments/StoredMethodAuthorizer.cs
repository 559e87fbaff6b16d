using Microsoft.Extensions.Logging;

namespace Shop.Orders.Payments;

/// <summary>
/// Authorises an order's payment with the method stored at placement, read by reference inside the activity, so the
/// client's token never enters the orchestration's history.
/// </summary>
public sealed class StoredMethodAuthorizer(IPaymentGateway gateway, PaymentMethodStore paymentMethods, ILogger<StoredMethodAuthorizer> logger)
{
    /// <param name="amount">Integer minor units, from the reservation.</param>
    public async Task<PaymentOutcome> AuthorizeAsync(string orderId, string paymentReference, long amount, string currency, CancellationToken cancellationToken)
    {
        var token = await paymentMethods.FindTokenAsync(paymentReference, cancellationToken);
        if (token is null)
        {
            logger.LogError("Order {OrderId}: no stored payment method for its reference", orderId);
            return PaymentOutcome.Decline("payment-method-missing");
        }

        return await gateway.AuthorizeAsync(new PaymentAuthorization(orderId, token, amount, currency), cancellationToken);
    }
}
