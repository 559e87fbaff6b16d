using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Shop.Orders.Workflow;

/// <summary>
/// Starts an order's orchestration at most once. Scheduling an instance id that exists is a known Durable pitfall:
/// depending on the backend, the default is to terminate the running instance and start over (verified on the
/// in-memory backend), which for an order would mean charging again. So: look first; schedule only when no instance
/// exists, and then with every status marked as a duplicate, so a start that races another fails with
/// <see cref="OrchestrationAlreadyExistsException"/> instead of replacing it; that failure means "started".
/// (The order document's ScheduledAt marker, checked by the caller, covers histories that were purged.)
/// </summary>
public sealed class OrderWorkflowStarter(ILogger<OrderWorkflowStarter> logger)
{
    private static readonly OrchestrationRuntimeStatus[] s_everyStatus = [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses];

    /// <returns>True when this call scheduled the instance; false when it already existed.</returns>
    public async Task<bool> EnsureStartedAsync(DurableTaskClient client, OrderInput input, CancellationToken cancellationToken)
    {
        if (await client.GetInstanceAsync(input.OrderId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            logger.LogInformation("Order {OrderId}: orchestration already exists, not scheduling again", input.OrderId);
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrderOrchestration.Name,
                input,
                new StartOrchestrationOptions(input.OrderId).WithDedupeStatuses(s_everyStatus),
                cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            logger.LogInformation("Order {OrderId}: a concurrent start won, the existing orchestration stands", input.OrderId);
            return false;
        }
    }
}
