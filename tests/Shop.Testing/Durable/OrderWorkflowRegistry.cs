using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Orders.Workflow.V1;

namespace Shop.Testing.Durable;

/// <summary>
/// Registers the real orchestrator bodies and the real activity classes with the in-process Durable engine, under the
/// names the Functions triggers use: <see cref="OrderLifecycle"/> and, for orchestrations it started,
/// <see cref="OrderOrchestrationV1"/> with its activities. Activity classes are created per call from the app's
/// services, as the Functions worker does.
/// </summary>
public static class OrderWorkflowRegistry
{
    public static void Register(DurableTaskRegistry registry, IServiceProvider services)
    {
        RegisterLifecycle(registry, services);
        RegisterV1(registry, services);
    }

    public static void RegisterLifecycle(DurableTaskRegistry registry, IServiceProvider services)
    {
        registry.AddOrchestratorFunc<OrderInput, OrderOutcome>(OrderLifecycle.Name, OrderLifecycle.RunAsync);
        registry.AddActivityFunc<ReserveOrderStockInput, OrderStepOutcome>(ActivityNames.ReserveOrderStock,
            (_, input) => New<OrderLifecycleActivities>(services).ReserveOrderStock(input, CancellationToken.None));
        registry.AddActivityFunc<AuthorizeOrderPaymentInput, OrderStepOutcome>(ActivityNames.AuthorizeOrderPayment,
            (_, input) => New<OrderLifecycleActivities>(services).AuthorizeOrderPayment(input, CancellationToken.None));
        registry.AddActivityFunc<OrderStepInput, CaptureOutcome>(ActivityNames.CaptureShippedOrder,
            (_, input) => New<OrderLifecycleActivities>(services).CaptureShippedOrder(input, CancellationToken.None));
        registry.AddActivityFunc<OrderStepInput, bool>(ActivityNames.CompleteDeliveredOrder,
            (_, input) => New<OrderLifecycleActivities>(services).CompleteDeliveredOrder(input, CancellationToken.None));
        registry.AddActivityFunc<ExitOrderInput, bool>(ActivityNames.ExitOrder,
            (_, input) => New<OrderLifecycleActivities>(services).ExitOrder(input, CancellationToken.None));
    }

    /// <summary>The first version, kept so that its in-flight orchestrations finish.</summary>
    public static void RegisterV1(DurableTaskRegistry registry, IServiceProvider services)
    {
        registry.AddOrchestratorFunc<OrderInput, OrderOutcome>(OrderOrchestrationV1.Name, OrderOrchestrationV1.RunAsync);
        registry.AddActivityFunc<ReserveStockInput, ReservationOutcome>(V1ActivityNames.ReserveStock,
            (_, input) => New<StockActivities>(services).ReserveStock(input, CancellationToken.None));
        registry.AddActivityFunc<string, bool>(V1ActivityNames.ReleaseStock,
            (_, orderId) => New<StockActivities>(services).ReleaseStock(orderId, CancellationToken.None));
        registry.AddActivityFunc<string, bool>(V1ActivityNames.CommitStock,
            (_, orderId) => New<StockActivities>(services).CommitStock(orderId, CancellationToken.None));
        registry.AddActivityFunc<AuthorizePaymentInput, PaymentOutcome>(V1ActivityNames.AuthorizePayment,
            (_, input) => New<PaymentActivities>(services).AuthorizePayment(input, CancellationToken.None));
        registry.AddActivityFunc<string, CaptureOutcome>(V1ActivityNames.CapturePayment,
            (_, orderId) => New<PaymentActivities>(services).CapturePayment(orderId, CancellationToken.None));
        registry.AddActivityFunc<string, RefundOutcome>(V1ActivityNames.RefundPayment,
            (_, orderId) => New<PaymentActivities>(services).RefundPayment(orderId, CancellationToken.None));
        registry.AddActivityFunc<TransitionInput, bool>(V1ActivityNames.RecordTransition,
            (_, input) => New<TransitionActivities>(services).RecordTransition(input, CancellationToken.None));
    }

    private static T New<T>(IServiceProvider services) => ActivatorUtilities.CreateInstance<T>(services);
}
