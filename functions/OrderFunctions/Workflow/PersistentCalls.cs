using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Shop.Orders.Workflow;

/// <summary>
/// Activities that must happen eventually: an undo (stock or money held by an order that has ended is worse than a
/// late undo) and the capture at shipment (money held for goods that have left must be taken). Once the retry policy is
/// spent, a call waits (a durable timer, doubling up to 30 minutes) and tries again until the dependency is back. Only a
/// broken contract, which no retry can fix, fails the orchestration.
/// </summary>
public sealed class PersistentCalls(TaskOrchestrationContext context, TaskOptions retry, TimeSpan pauseBetweenRounds, ILogger logger)
{
    private static readonly TimeSpan MaxPauseBetweenRounds = TimeSpan.FromMinutes(30);

    public async Task<T> CallUntilDoneAsync<T>(string activity, string orderId, object input)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                return await context.CallActivityAsync<T>(activity, input, retry);
            }
            catch (TaskFailedException exception) when (!OrderRetry.IsPermanent(exception.FailureDetails))
            {
                var pause = PauseAfter(round);
                logger.LogWarning("Order {OrderId}: {Activity} failed (round {Round}), trying again after {Pause}: {Error}",
                    orderId, activity, round, pause, exception.FailureDetails.ErrorMessage);
                await context.CreateTimer(context.CurrentUtcDateTime + pause, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Doubles from the retry policy's longest interval up to <see cref="MaxPauseBetweenRounds"/>, so a day-long
    /// outage costs a few dozen rounds in the orchestration's history, not hundreds.
    /// </summary>
    private TimeSpan PauseAfter(int round) =>
        TimeSpan.FromTicks(Math.Min(
            Math.Max(MaxPauseBetweenRounds.Ticks, pauseBetweenRounds.Ticks),
            pauseBetweenRounds.Ticks * (1L << Math.Min(round - 1, 16))));
}
