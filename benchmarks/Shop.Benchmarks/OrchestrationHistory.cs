using DurableTask.Core.History;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing.Durable;

namespace Shop.Benchmarks;

/// <summary>What an orchestration did, read back from the history the in-process engine recorded for it.</summary>
internal static class OrchestrationHistory
{
    /// <summary>
    /// The activities the instance scheduled, with those of its sub-orchestrations: one TaskScheduled event per activity
    /// call (each retry is another), whatever the orchestrator's code looks like.
    /// </summary>
    public static IReadOnlyList<string> ScheduledActivities(DurableTaskTestHost engine, string instanceId)
    {
        var orchestrations = engine.Services.GetRequiredService<WideInMemoryOrchestrationService>();
        var history = orchestrations.HistoryOf(instanceId);
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
                    activities.Add(scheduled.Name ?? "(no name)");
                    break;
                case SubOrchestrationInstanceCreatedEvent child:
                    activities.AddRange(ScheduledActivities(engine, child.InstanceId));
                    break;
            }
        }

        return activities;
    }
}
