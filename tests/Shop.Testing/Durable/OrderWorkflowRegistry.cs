using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;

namespace Shop.Testing.Durable;

/// <summary>
/// Registers the real orchestrator body and the real activity classes with the in-process Durable engine, under the
/// names the Functions trigger uses. Activity classes are created per call from the app's services, as the Functions
/// worker does.
/// </summary>
public static class OrderWorkflowRegistry
{
    public static void Register(DurableTaskRegistry registry, IServiceProvider services)
    {
        registry.AddOrchestratorFunc<OrderInput, OrderOutcome>(OrderOrchestration.Name, OrderOrchestration.RunAsync);
        registry.AddActivityFunc<ReserveStockInput, ReservationOutcome>(ActivityNames.ReserveStock,
            (_, input) => New<StockActivities>(services).ReserveStock(input, CancellationToken.None));
        registry.AddActivityFunc<string, bool>(ActivityNames.ReleaseStock,
            (_, orderId) => New<StockActivities>(services).ReleaseStock(orderId, CancellationToken.None));
        registry.AddActivityFunc<string, bool>(ActivityNames.CommitStock,
            (_, orderId) => New<StockActivities>(services).CommitStock(orderId, CancellationToken.None));
        registry.AddActivityFunc<AuthorizePaymentInput, PaymentOutcome>(ActivityNames.AuthorizePayment,
            (_, input) => New<PaymentActivities>(services).AuthorizePayment(input, CancellationToken.None));
        registry.AddActivityFunc<string, CaptureOutcome>(ActivityNames.CapturePayment,
            (_, orderId) => New<PaymentActivities>(services).CapturePayment(orderId, CancellationToken.None));
        registry.AddActivityFunc<string, RefundOutcome>(ActivityNames.RefundPayment,
            (_, orderId) => New<PaymentActivities>(services).RefundPayment(orderId, CancellationToken.None));
        registry.AddActivityFunc<TransitionInput, bool>(ActivityNames.RecordTransition,
            (_, input) => New<TransitionActivities>(services).RecordTransition(input, CancellationToken.None));
    }

    private static T New<T>(IServiceProvider services) => ActivatorUtilities.CreateInstance<T>(services);
}
