using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask.Testing.Sidecar;

namespace Shop.Testing.Durable;

/// <summary>
/// The package's in-memory backend with a higher work-item limit, which also keeps each instance's history readable
/// (<see cref="HistoryOf"/>); everything else is passed through unchanged.
/// <para>
/// The in-memory service caps concurrent orchestration and activity work items at <see cref="Environment.ProcessorCount"/>
/// (not configurable), and the sidecar's dispatcher, once at the cap, polls every 500 ms instead of waking when a slot
/// frees (durabletask-dotnet src/InProcessTestHost/Sidecar/Dispatcher/WorkItemDispatcher.cs, WaitForAllClear: "CONSIDER:
/// Use a notification instead of polling"). With more orders in flight than cores, each activity round trip then waits
/// about 1 s (500 ms in each dispatcher) for work that takes milliseconds: 0.3 orders/s, whatever the number in flight.
/// DurableTask.Core removed the same sleep from its own dispatcher in 2018 (Azure/durabletask#196).
/// </para>
/// </summary>
public sealed class WideInMemoryOrchestrationService(InMemoryOrchestrationService inner, int maxConcurrentWorkItems) : IOrchestrationService
{
    private readonly ConcurrentDictionary<string, HistoryEvent[]> _histories = new(StringComparer.Ordinal);

    /// <summary>
    /// The instance's history as of its last completed step (empty if unknown). The package's backend keeps it but
    /// cannot give it out: its GetOrchestrationHistoryAsync throws, and the client's history call returns no events.
    /// </summary>
    public IReadOnlyList<HistoryEvent> HistoryOf(string instanceId) => _histories.TryGetValue(instanceId, out var history) ? history : [];

    public int MaxConcurrentTaskOrchestrationWorkItems => maxConcurrentWorkItems;

    public int MaxConcurrentTaskActivityWorkItems => maxConcurrentWorkItems;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        _histories[workItem.InstanceId] = [.. newOrchestrationRuntimeState.Events];
        return inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
