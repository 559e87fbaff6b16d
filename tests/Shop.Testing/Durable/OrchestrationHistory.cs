using DurableTask.Core.History;
using Microsoft.DurableTask.Client;

namespace Shop.Testing.Durable;

/// <summary>Deterministic counts read from an orchestration's history (tests and benchmarks: <c>activities-per-order</c>).</summary>
public static class OrchestrationHistory
{
    /// <summary>
    /// The activities the orchestration scheduled (TaskScheduled events): every call, retries included, each a queue
    /// message, a history write and a replay on the Azure Storage backend.
    /// </summary>
    public static async Task<int> CountActivitiesAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken = default) =>
        CountActivities(await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken));

    public static int CountActivities(IEnumerable<HistoryEvent> history) => history.Count(e => e is TaskScheduledEvent);

    /// <summary>The names of the scheduled activities, in order.</summary>
    public static async Task<IReadOnlyList<string>> ActivityNamesAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken = default) =>
        [.. (await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken)).OfType<TaskScheduledEvent>().Select(e => e.Name ?? string.Empty)];
}
