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
    public static IReadOnlyList<string> ActivityNames(IServiceProvider workerServices, string instanceId) =>
        [.. workerServices.GetRequiredService<WideInMemoryOrchestrationService>().HistoryOf(instanceId).OfType<TaskScheduledEvent>().Select(e => e.Name ?? string.Empty)];
}
