using Microsoft.Azure.Functions.Worker;
using Shop.Orders.Payments;

namespace Shop.Orders.Workflow.V1;

/// <summary>The first version's payment steps (<see cref="OrderOrchestrationV1"/>); each is idempotent per order id at the provider.</summary>
public sealed class PaymentActivities(IPaymentGateway gateway, StoredMethodAuthorizer authorizer)
{
    [Function(V1ActivityNames.AuthorizePayment)]
    public Task<PaymentOutcome> AuthorizePayment([ActivityTrigger] AuthorizePaymentInput input, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(input.OrderId, input.PaymentReference, input.Amount, input.Currency, cancellationToken);

    [Function(V1ActivityNames.CapturePayment)]
    public Task<CaptureOutcome> CapturePayment([ActivityTrigger] string orderId, CancellationToken cancellationToken) =>
        gateway.CaptureAsync(orderId, cancellationToken);

    [Function(V1ActivityNames.RefundPayment)]
    public Task<RefundOutcome> RefundPayment([ActivityTrigger] string orderId, CancellationToken cancellationToken) =>
        gateway.RefundAsync(orderId, cancellationToken);
}
