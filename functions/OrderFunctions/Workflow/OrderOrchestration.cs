using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;

namespace Shop.Orders.Workflow;

/// <summary>
/// One order from placement to completion (README, "The lifecycle"):
/// Pending -> StockReserved -> Paid -> Confirmed -> Shipped -> Delivered -> Completed, with the exits Rejected (no
/// stock; nothing charged), PaymentFailed (declined; stock released) and Cancelled (cancel requested, or no shipment
/// in time; the payment authorisation cancelled and the stock released). The payment is authorised at Paid and
/// captured after Shipped. Each step that needs undoing registers its compensation as soon as it succeeded; exits run
/// them newest first.
/// <para>
/// <see cref="RunAsync"/> is the whole body, shared by the Functions trigger and the in-process test host. It follows
/// the orchestrator rules: time from <c>context.CurrentUtcDateTime</c>, waiting only through durable timers and
/// events, every side effect in an activity, settings only from the input.
/// </para>
/// </summary>
public static class OrderOrchestration
{
    public const string Name = "OrderOrchestration";

    [Function(Name)]
    public static Task<OrderOutcome> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunAsync(context, context.GetInput<OrderInput>() ?? throw new InvalidOperationException("The order orchestration needs an OrderInput."));

    public static async Task<OrderOutcome> RunAsync(TaskOrchestrationContext context, OrderInput input)
    {
        var logger = context.CreateReplaySafeLogger(typeof(OrderOrchestration));
        var retry = RetryOptions(input.Retry);
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
                ActivityNames.ReserveStock, new ReserveStockInput(orderId, input.Items), retry);
        }
        catch (TaskFailedException exception)
        {
            logger.LogWarning("Order {OrderId}: reserving stock failed for good: {Error}", orderId, exception.FailureDetails.ErrorMessage);
            // Whether the stock was taken is unknown; a release is a no-op if it was not and leaves a tombstone that
            // stops a late reserve from taking it.
            compensations.Add(ActivityNames.ReleaseStock, orderId);
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Rejected, "stock-unavailable");
        }

        if (!reservation.Reserved)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Rejected, reservation.Reason ?? "rejected");
        }

        compensations.Add(ActivityNames.ReleaseStock, orderId);
        var pricing = new OrderPricing(
            [.. reservation.Items.Select(i => new OrderLine(i.ProductId, i.Quantity, i.Name, i.UnitPrice))],
            reservation.Total,
            reservation.Currency);
        await RecordAsync(context, input, retry, OrderStatus.StockReserved, pricing: pricing);

        if (cancelRequested.IsCompleted)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Cancelled, CancelReason(cancelRequested.Result));
        }

        context.SetCustomStatus(OrderSteps.AuthorizingPayment);
        PaymentOutcome payment;
        try
        {
            payment = await context.CallActivityAsync<PaymentOutcome>(
                ActivityNames.AuthorizePayment,
                new AuthorizePaymentInput(orderId, input.PaymentReference, reservation.Total, reservation.Currency ?? ""),
                retry);
        }
        catch (TaskFailedException exception)
        {
            logger.LogWarning("Order {OrderId}: payment failed for good: {Error}", orderId, exception.FailureDetails.ErrorMessage);
            // The provider may have charged before the last attempt failed; a refund by the same key is a no-op if not.
            compensations.Add(ActivityNames.RefundPayment, orderId);
            return await ExitAsync(context, input, retry, compensations, OrderStatus.PaymentFailed, "payment-unavailable");
        }

        if (!payment.Approved)
        {
            return await ExitAsync(context, input, retry, compensations, OrderStatus.PaymentFailed, payment.DeclineReason ?? "declined");
        }

        compensations.Add(ActivityNames.RefundPayment, orderId);
        context.SetCustomStatus(OrderSteps.Confirming);
        await RecordAsync(context, input, retry, OrderStatus.Paid);
        await RecordAsync(context, input, retry, OrderStatus.Confirmed);

        context.SetCustomStatus(OrderSteps.AwaitingShipment);
        using var timerCancellation = new CancellationTokenSource();
        var shipped = context.WaitForExternalEvent<ShipmentNotice>(OrderEvents.Ship);
        var deadline = context.CreateTimer(context.CurrentUtcDateTime + input.ShipmentTimeout, timerCancellation.Token);
        var first = await Task.WhenAny(shipped, cancelRequested, deadline);
        if (first != deadline)
        {
            // An orchestration with a pending timer does not complete, so the timer is cancelled, not abandoned.
            timerCancellation.Cancel();
        }

        if (first != shipped)
        {
            var reason = first == cancelRequested ? CancelReason(cancelRequested.Result) : "shipment-timeout";
            return await ExitAsync(context, input, retry, compensations, OrderStatus.Cancelled, reason);
        }

        await RecordAsync(context, input, retry, OrderStatus.Shipped);

        // The money was only held until now. The goods have left, so the capture is not given up on a transient failure.
        context.SetCustomStatus(OrderSteps.CapturingPayment);
        var capture = await compensations.RunUntilDoneAsync<CaptureOutcome>(ActivityNames.CapturePayment, orderId);
        if (!capture.Captured)
        {
            logger.LogError("Order {OrderId}: shipped, but the payment could not be captured: {Reason}", orderId, capture.Reason);
        }

        context.SetCustomStatus(OrderSteps.AwaitingDelivery);
        await context.WaitForExternalEvent<DeliveryNotice>(OrderEvents.Deliver);
        await RecordAsync(context, input, retry, OrderStatus.Delivered);

        context.SetCustomStatus(OrderSteps.CommittingStock);
        await context.CallActivityAsync<bool>(ActivityNames.CommitStock, orderId, retry);
        await RecordAsync(context, input, retry, OrderStatus.Completed);
        context.SetCustomStatus(nameof(OrderStatus.Completed));
        return new OrderOutcome(orderId, OrderStatus.Completed);
    }

    /// <summary>
    /// Retries transient failures with exponential back-off (durable timers between attempts). A broken contract with
    /// the stock service is not retried: the same request would fail the same way.
    /// </summary>
    public static TaskOptions RetryOptions(RetrySettings settings) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            settings.MaxAttempts,
            settings.FirstRetryInterval,
            backoffCoefficient: 2.0,
            maxRetryInterval: settings.MaxRetryInterval)
        {
            HandleFailure = failure => !IsPermanent(failure),
        });

    public static bool IsPermanent(TaskFailureDetails failure) =>
        string.Equals(failure.ErrorType, typeof(StockContractException).FullName, StringComparison.Ordinal);

    private static string CancelReason(CancelRequest request) => request.ByAdmin ? "cancelled-by-admin" : "cancelled-by-customer";

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
            ActivityNames.RecordTransition,
            new TransitionInput(input.OrderId, input.UserId, status, context.CurrentUtcDateTime, reason, pricing),
            retry);

    /// <summary>
    /// The undo steps registered so far; run newest first, each an idempotent activity keyed by the order id. An undo
    /// never gives up on a transient failure: stock or money held by an order that has ended is worse than a late undo,
    /// so once the retry policy is spent it waits (a durable timer, doubling up to 30 minutes) and tries again until the
    /// dependency is back. The order shows the Compensating step meanwhile. Only a broken contract, which no retry can
    /// fix, fails the orchestration.
    /// </summary>
    private sealed class Compensations(TaskOrchestrationContext context, TaskOptions retry, TimeSpan pauseBetweenRounds, ILogger logger)
    {
        private static readonly TimeSpan MaxPauseBetweenRounds = TimeSpan.FromMinutes(30);

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

        /// <summary>
        /// Doubles from the retry policy's longest interval up to <see cref="MaxPauseBetweenRounds"/>, so a day-long
        /// outage costs a few dozen rounds in the orchestration's history, not hundreds.
        /// </summary>
        private TimeSpan PauseAfter(int round) =>
            TimeSpan.FromTicks(Math.Min(
                Math.Max(MaxPauseBetweenRounds.Ticks, pauseBetweenRounds.Ticks),
                pauseBetweenRounds.Ticks * (1L << Math.Min(round - 1, 16))));

        /// <summary>Also the capture at shipment: money held for goods that have left must be taken eventually.</summary>
        public async Task<T> RunUntilDoneAsync<T>(string activity, string orderId)
        {
            for (var round = 1; ; round++)
            {
                try
                {
                    return await context.CallActivityAsync<T>(activity, orderId, retry);
                }
                catch (TaskFailedException exception) when (!IsPermanent(exception.FailureDetails))
                {
                    var pause = PauseAfter(round);
                    logger.LogWarning("Order {OrderId}: {Activity} failed (round {Round}), trying again after {Pause}: {Error}",
                        orderId, activity, round, pause, exception.FailureDetails.ErrorMessage);
                    await context.CreateTimer(context.CurrentUtcDateTime + pause, CancellationToken.None);
                }
            }
        }
    }
}
