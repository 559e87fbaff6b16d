using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Shop.Orders.Documents;
using Shop.Orders.Payments;

namespace Shop.Orders.Workflow;

/// <summary>
/// One order from placement to completion (README, "The lifecycle"):
/// Pending -> StockReserved -> Paid -> Confirmed -> Shipped -> Delivered -> Completed, with the exits Rejected (no
/// stock; nothing charged), PaymentFailed (declined; stock released) and Cancelled (cancel requested, or no shipment
/// in time; the payment authorisation voided and the stock released). Every activity does a step's side effect and
/// records its outcome on the order (<see cref="OrderLifecycleActivities"/>), so a completed order is four activities:
/// reserve, authorise, ship, complete. Placement stored Pending and order.created already.
/// <para>
/// An exit undoes what came before newest first (the payment, then the stock) and records the final status in one
/// activity: the step that found the end when it can (a rejected reservation, a declined payment, a cancel found while
/// authorising), otherwise <see cref="ActivityNames.ExitOrder"/>.
/// </para>
/// <para>
/// <see cref="RunAsync"/> is the whole body, shared by the Functions trigger and the in-process test host. It follows
/// the orchestrator rules: time from <c>context.CurrentUtcDateTime</c>, waiting only through durable timers and
/// events, every side effect in an activity, settings only from the input. Orchestrations started under the previous
/// name finish on <see cref="V1.OrderOrchestrationV1"/>.
/// </para>
/// </summary>
public static class OrderLifecycle
{
    public const string Name = "OrderLifecycle";

    [Function(Name)]
    public static Task<OrderOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunAsync(context, context.GetInput<OrderInput>() ?? throw new InvalidOperationException("The order orchestration needs an OrderInput."));

    public static async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, OrderInput input)
    {
        var logger = context.CreateReplaySafeLogger(typeof(OrderLifecycle));
        var retry = OrderRetry.Options(input.Retry);
        var persistent = new PersistentCalls(context, retry, input.Retry.MaxRetryInterval, logger);
        var order = new OrderStepInput(input.OrderId, input.UserId);

        // Listening from the first step: a cancel raised at any time is kept until the orchestration looks at it.
        var cancelRequested = context.WaitForExternalEvent<CancelRequest>(OrderEvents.Cancel);

        context.SetCustomStatus(OrderSteps.ReservingStock);
        OrderStepOutcome reservation;
        try
        {
            reservation = await context.CallActivityAsync<OrderStepOutcome>(
                ActivityNames.ReserveOrderStock, new ReserveOrderStockInput(input.OrderId, input.UserId, input.Items), retry);
        }
        catch (TaskFailedException exception)
        {
            logger.LogWarning("Order {OrderId}: reserving stock failed for good: {Error}", input.OrderId, exception.FailureDetails.ErrorMessage);
            // Whether the stock was taken is unknown; a release is a no-op if it was not and leaves a tombstone that
            // stops a late reserve from taking it.
            return await ExitAsync(context, persistent, order, OrderStatus.Rejected, "stock-unavailable", refundPayment: false);
        }

        if (Order.IsFinished(reservation.Status))
        {
            return Ended(context, order, reservation);
        }

        if (cancelRequested.IsCompleted)
        {
            return await ExitAsync(context, persistent, order, OrderStatus.Cancelled, cancelRequested.Result.Reason, refundPayment: false);
        }

        context.SetCustomStatus(OrderSteps.AuthorizingPayment);
        OrderStepOutcome payment;
        try
        {
            payment = await context.CallActivityAsync<OrderStepOutcome>(
                ActivityNames.AuthorizeOrderPayment,
                new AuthorizeOrderPaymentInput(input.OrderId, input.UserId, input.PaymentReference, reservation.Total, reservation.Currency ?? ""),
                retry);
        }
        catch (TaskFailedException exception)
        {
            logger.LogWarning("Order {OrderId}: payment failed for good: {Error}", input.OrderId, exception.FailureDetails.ErrorMessage);
            // The provider may have authorised before the last attempt failed; voiding by the same key is a no-op if not.
            return await ExitAsync(context, persistent, order, OrderStatus.PaymentFailed, "payment-unavailable", refundPayment: true);
        }

        if (Order.IsFinished(payment.Status))
        {
            return Ended(context, order, payment);
        }

        context.SetCustomStatus(OrderSteps.AwaitingShipment);
        var cancelReason = await ShipmentWait.WaitAsync(context, cancelRequested, input.ShipmentTimeout);
        if (cancelReason is not null)
        {
            return await ExitAsync(context, persistent, order, OrderStatus.Cancelled, cancelReason, refundPayment: true);
        }

        // The goods have left, so the capture in this step is not given up on a transient failure.
        context.SetCustomStatus(OrderSteps.CapturingPayment);
        var capture = await persistent.CallUntilDoneAsync<CaptureOutcome>(ActivityNames.CaptureShippedOrder, input.OrderId, order);
        if (!capture.Captured)
        {
            logger.LogError("Order {OrderId}: shipped, but the payment could not be captured: {Reason}", input.OrderId, capture.Reason);
        }

        context.SetCustomStatus(OrderSteps.AwaitingDelivery);
        await context.WaitForExternalEvent<DeliveryNotice>(OrderEvents.Deliver);

        context.SetCustomStatus(OrderSteps.CommittingStock);
        await context.CallActivityAsync<bool>(ActivityNames.CompleteDeliveredOrder, order, retry);
        context.SetCustomStatus(nameof(OrderStatus.Completed));
        return new OrderOutcome(input.OrderId, OrderStatus.Completed);
    }

    /// <summary>The stock is always released on an exit: held or not, the release is idempotent and blocks a late reserve.</summary>
    private static async Task<OrderOutcome> ExitAsync(
        TaskOrchestrationContext context, PersistentCalls persistent, OrderStepInput order, OrderStatus status, string reason, bool refundPayment)
    {
        context.SetCustomStatus(OrderSteps.Compensating);
        await persistent.CallUntilDoneAsync<bool>(
            ActivityNames.ExitOrder,
            order.OrderId,
            new ExitOrderInput(order.OrderId, order.UserId, status, reason, refundPayment, ReleaseStock: true));
        context.SetCustomStatus(status.ToString());
        return new OrderOutcome(order.OrderId, status, reason);
    }

    /// <summary>A step that ended the order has undone what came before and recorded the final status itself.</summary>
    private static OrderOutcome Ended(TaskOrchestrationContext context, OrderStepInput order, OrderStepOutcome outcome)
    {
        context.SetCustomStatus(outcome.Status.ToString());
        return new OrderOutcome(order.OrderId, outcome.Status, outcome.Reason);
    }
}
