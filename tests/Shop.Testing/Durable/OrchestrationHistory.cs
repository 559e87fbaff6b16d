using DurableTask.Core.History;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Testing.Durable;

/// <summary>
/// Deterministic counts read from an orchestration's history on <see cref="InProcessDurableEngine"/> (tests, and the
/// benchmarks' <c>activities-per-order</c>).
/// </summary>
public static class OrchestrationHistory
{
    /// <summary>
    /// The activities the orchestration scheduled (TaskScheduled events): every call, retries included; on the Azure
    /// Storage backend each is a queue message, a history write and a replay.
    /// </summary>
    public static int CountActivities(DurableTaskTestHost engine, string instanceId) => ActivityNames(engine.Services, instanceId).Count;

    /// <summary>The names of the scheduled activities, in order.</summary>
    public static IReadOnlyList<string> ActivityNames(DurableTaskTestHost engine, string instanceId) => ActivityNames(engine.Services, instanceId);

    /// <param name="workerServices">The services of a worker started by <see cref="InProcessDurableEngine"/>.</param>
    /// <remarks>
    /// Sub-orchestrations' activities are counted with their parent's. An instance without a recorded history is an
    /// error, not zero activities: a count of nothing must not pass for a small count.
    /// </remarks>
    public static IReadOnlyList<string> ActivityNames(IServiceProvider workerServices, string instanceId)
    {
        var history = workerServices.GetRequiredService<WideInMemoryOrchestrationService>().HistoryOf(instanceId);
        if (history.Count == 0)
        {
            throw new InvalidOperationException($"The engine recorded no history for the instance {instanceId}.");
        }

        var activities = new List<string>();
        foreach (var historyEvent in history)
        {
            switch (historyEvent)
            {
                case TaskScheduledEvent scheduled:
                    activities.Add(scheduled.Name ?? string.Empty);
                    break;
                case SubOrchestrationInstanceCreatedEvent child:
                    activities.AddRange(ActivityNames(workerServices, child.InstanceId));
                    break;
            }
        }

        return activities;
    }
}
