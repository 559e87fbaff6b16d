using Microsoft.DurableTask;

namespace Shop.Orders.Workflow;

/// <summary>The wait after Confirmed, in both orchestrator versions: a shipment, a cancel or the deadline, whichever comes first.</summary>
public static class ShipmentWait
{
    public const string TimeoutReason = "shipment-timeout";

    /// <returns>Null when the order shipped; otherwise why it is cancelled.</returns>
    public static async Task<string?> WaitAsync(TaskOrchestrationContext context, Task<CancelRequest> cancelRequested, TimeSpan timeout)
    {
        using var timerCancellation = new CancellationTokenSource();
        var shipped = context.WaitForExternalEvent<ShipmentNotice>(OrderEvents.Ship);
        var deadline = context.CreateTimer(context.CurrentUtcDateTime + timeout, timerCancellation.Token);
        var first = await Task.WhenAny(shipped, cancelRequested, deadline);
        if (first != deadline)
        {
            // An orchestration with a pending timer does not complete, so the timer is cancelled, not abandoned.
            timerCancellation.Cancel();
        }

        return first == shipped ? null
            : first == cancelRequested ? cancelRequested.Result.Reason
            : TimeoutReason;
    }
}
