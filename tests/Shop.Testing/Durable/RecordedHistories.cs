using System.Collections.Concurrent;
using DurableTask.Core.History;

namespace Shop.Testing.Durable;

/// <summary>
/// Each orchestration's history as the in-memory backend last saved it. The package's backend keeps histories but
/// does not serve them (its GetOrchestrationHistoryAsync throws NotImplementedException, and the sidecar streams
/// history only to a worker replaying it), so <see cref="WideInMemoryOrchestrationService"/> copies them here.
/// </summary>
public sealed class RecordedHistories
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<HistoryEvent>> _histories = new(StringComparer.Ordinal);

    public void Save(string instanceId, IEnumerable<HistoryEvent> events) => _histories[instanceId] = [.. events];

    /// <summary>Empty for an instance the backend has not saved.</summary>
    public IReadOnlyList<HistoryEvent> Of(string instanceId) => _histories.GetValueOrDefault(instanceId) ?? [];
}
