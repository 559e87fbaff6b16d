using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Shop.Orders.Workflow;

/// <summary>
/// Starts an order's orchestration at most once. Scheduling an instance id that exists is a known Durable pitfall:
/// depending on the backend, the default is to terminate the running instance and start over (verified on the
/// in-memory backend), or to overwrite a finished one (the Functions host's default for non-running instances), which
/// for an order would mean charging again. So: look first, and schedule only when no instance exists, with every status
/// marked as a duplicate, so a start that races another fails instead of replacing it. Backends report that failure
/// differently (<see cref="OrchestrationAlreadyExistsException"/>, or an RpcException AlreadyExists from the Functions
/// host), so any failure is followed by a second look: an instance that exists now was started by the racer.
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
                OrderLifecycle.Name,
                input,
                new StartOrchestrationOptions(input.OrderId).WithDedupeStatuses(s_everyStatus),
                cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (await client.GetInstanceAsync(input.OrderId, getInputsAndOutputs: false, cancellationToken) is null)
            {
                throw;
            }

            logger.LogInformation("Order {OrderId}: a concurrent start won ({Error}); the existing orchestration stands", input.OrderId, exception.GetType().Name);
            return false;
        }
    }
}
