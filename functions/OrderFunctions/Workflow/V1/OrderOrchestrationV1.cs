using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;

namespace Shop.Orders.Workflow.V1;

/// <summary>
/// The first version of the lifecycle, kept under its name so that orchestrations it started before
/// <see cref="OrderLifecycle"/> replaced it replay and finish (new orders start <see cref="OrderLifecycle"/>). Its
/// body and activity calls must not change: a replay matches them against the stored history.
/// <para>
/// One order from placement to completion (README, "The lifecycle"):
/// Pending -> StockReserved -> Paid -> Confirmed -> Shipped -> Delivered -> Completed, with the exits Rejected (no
/// stock; nothing charged), PaymentFailed (declined; stock released) and Cancelled (cancel requested, or no shipment
/// in time; the payment authorisation cancelled and the stock released). The payment is authorised at Paid and
/// captured after Shipped. Each step that needs undoing registers its compensation as soon as it succeeded; exits run
/// them newest first.
/// </para>
/// <para>
/// <see cref="RunAsync"/> is the whole body, shared by the Functions trigger and the in-process test host. It follows
/// the orchestrator rules: time from <c>context.CurrentUtcDateTime</c>, waiting only through durable timers and
/// events, every side effect in an activity, settings only from the input.
/// </para>
/// </summary>
public static class OrderOrchestrationV1
{
    public const string Name = "OrderOrchestration";

    [Function(Name)]
    public static Task<OrderOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunAsync(context, context.GetInput<OrderInput>() ?? throw new InvalidOperationException("The order orchestration needs an OrderInput."));

    public static async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, OrderInput input)
    {
        var logger = context.CreateReplaySafeLogger(typeof(OrderOrchestrationV1));
        var retry = OrderRetry.Options(input.Retry);
        var compensations = new Compensations(context, retry, input.Retry.MaxRetryInterval, logger);
        var orderId = input.OrderId;

        // Listening from the first step: a cancel raised at any time is kept until the orchestration looks at it.
        var cancelRequested = context.WaitForExternalEvent<CancelRequest>(OrderEvents.Cancel);

        context.SetCustomStatus(OrderSteps.Recording);
        await RecordAsync(context, input, retry, OrderStatus.Pending);

        context.SetCustomStatus(OrderSteps.ReservingStock);
        ReservationOutcome reservation;
        try
        {
            reservation = await context.CallActivityAsync<ReservationOutcome>(
                V1ActivityNames.ReserveStock, new ReserveStockInput(orderId, input.Items), retry);
        }
        catch (TaskFailedException exception)
        {
            logger.LogWarning("Order {OrderId}: reserving stock failed for good: {Error}", orderId, exception.FailureDetails.ErrorMessage);
            // Whether the stock was taken is unknown; a release is a no-op if it was not and leaves a tombstone that
            // stops a late reserve from taking it.
            compensations.Add(V1ActivityNames.ReleaseStock, orderId);
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Rejected, "stock-unavailable");
        }

        if (!reservation.Reserved)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Rejected, reservation.Reason ?? "rejected");
        }

        compensations.Add(V1ActivityNames.ReleaseStock, orderId);
        var pricing = new OrderPricing(
            [.. reservation.Items.Select(i => new OrderLine(i.ProductId, i.Quantity, i.Name, i.UnitPrice))],
            reservation.Total,
            reservation.Currency);
        await RecordAsync(context, input, retry, OrderStatus.StockReserved, pricing: pricing);

        if (cancelRequested.IsCompleted)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Cancelled, cancelRequested.Result.Reason);
        }

        context.SetCustomStatus(OrderSteps.AuthorizingPayment);
        PaymentOutcome payment;
        try
        {
            payment = await context.CallActivityAsync<PaymentOutcome>(
                V1ActivityNames.AuthorizePayment,
                new AuthorizePaymentInput(orderId, input.PaymentReference, reservation.Total, reservation.Currency ?? ""),
                retry);
        }
        catch (TaskFailedException exception)
        {
            logger.LogWarning("Order {OrderId}: payment failed for good: {Error}", orderId, exception.FailureDetails.ErrorMessage);
            // The provider may have charged before the last attempt failed; a refund by the same key is a no-op if not.
            compensations.Add(V1ActivityNames.RefundPayment, orderId);
            return await ExitAsync(context, input, retry, compensations, OrderStatus.PaymentFailed, "payment-unavailable");
        }

        if (!payment.Approved)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.PaymentFailed, payment.DeclineReason ?? "declined");
        }

        compensations.Add(V1ActivityNames.RefundPayment, orderId);
        context.SetCustomStatus(OrderSteps.Confirming);
        await RecordAsync(context, input, retry, OrderStatus.Paid);
        await RecordAsync(context, input, retry, OrderStatus.Confirmed);

        context.SetCustomStatus(OrderSteps.AwaitingShipment);
        var cancelReason = await ShipmentWait.WaitAsync(context, cancelRequested, input.ShipmentTimeout);
        if (cancelReason is not null)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Cancelled, cancelReason);
        }

        await RecordAsync(context, input, retry, OrderStatus.Shipped);

        // The money was only held until now. The goods have left, so the capture is not given up on a transient failure.
        context.SetCustomStatus(OrderSteps.CapturingPayment);
        var capture = await compensations.RunUntilDoneAsync<CaptureOutcome>(V1ActivityNames.CapturePayment, orderId);
        if (!capture.Captured)
        {
            logger.LogError("Order {OrderId}: shipped, but the payment could not be captured: {Reason}", orderId, capture.Reason);
        }

        context.SetCustomStatus(OrderSteps.AwaitingDelivery);
        await context.WaitForExternalEvent<DeliveryNotice>(OrderEvents.Deliver);
        await RecordAsync(context, input, retry, OrderStatus.Delivered);

        context.SetCustomStatus(OrderSteps.CommittingStock);
        await context.CallActivityAsync<bool>(V1ActivityNames.CommitStock, orderId, retry);
        await RecordAsync(context, input, retry, OrderStatus.Completed);
        context.SetCustomStatus(nameof(OrderStatus.Completed));
        return new OrderOutcome(orderId, OrderStatus.Completed);
    }

        private static async Task<OrderOutcome> ExitAsync(
        TaskOrchestrationContext context, OrderInput input, TaskOptions retry, Compensations compensations, OrderStatus status, string reason)
    {
        if (compensations.Count > 0)
        {
            context.SetCustomStatus(OrderSteps.Compensating);
            await compensations.RunAsync();
        }

        await RecordAsync(context, input, retry, status, reason);
        context.SetCustomStatus(status.ToString());
        return new OrderOutcome(input.OrderId, status, reason);
    }

    private static Task<bool> RecordAsync(
        TaskOrchestrationContext context, OrderInput input, TaskOptions retry, OrderStatus status, string? reason = null, OrderPricing? pricing = null) =>
        context.CallActivityAsync<bool>(
            V1ActivityNames.RecordTransition,
            new TransitionInput(input.OrderId, input.UserId, status, context.CurrentUtcDateTime, reason, pricing),
            retry);

    /// <summary>The undo steps registered so far; run newest first, each an idempotent activity keyed by the order id.</summary>
    private sealed class Compensations(TaskOrchestrationContext context, TaskOptions retry, TimeSpan pauseBetweenRounds, ILogger logger)
    {
        private readonly PersistentCalls _calls = new(context, retry, pauseBetweenRounds, logger);
        private readonly List<(string Activity, string OrderId)> _steps = [];

        public int Count => _steps.Count;

        public void Add(string activity, string orderId) => _steps.Add((activity, orderId));

        public async Task RunAsync()
        {
            for (var i = _steps.Count - 1; i >= 0; i--)
            {
                await RunUntilDoneAsync<object>(_steps[i].Activity, _steps[i].OrderId);
            }

            _steps.Clear();
        }

        public Task<T> RunUntilDoneAsync<T>(string activity, string orderId) => _calls.CallUntilDoneAsync<T>(activity, orderId, orderId);
    }
}
