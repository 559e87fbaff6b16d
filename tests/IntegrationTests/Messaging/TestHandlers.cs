using System.Collections.Concurrent;
using Shop.Shared.Messaging;

namespace Shop.IntegrationTests.Messaging;

/// <summary>Every handler call of one test app, in order.</summary>
public sealed class HandlerCalls
{
    private readonly ConcurrentQueue<ReceivedEvent> _calls = new();

    public IReadOnlyList<ReceivedEvent> All => [.. _calls];

    public void Add(ReceivedEvent received) => _calls.Enqueue(received);

    public int CountFor(string eventId) => _calls.Count(c => c.Id == eventId);

    public bool Saw(string eventId) => _calls.Any(c => c.Id == eventId);

    /// <summary>The trace id that was current while the handler ran, per event.</summary>
    public ConcurrentDictionary<string, string?> Traces { get; } = new();

    public void AddTrace(string eventId, string? traceId) => Traces[eventId] = traceId;
}

public sealed class RecordingHandler(HandlerCalls calls) : IEventHandler
{
    public Task HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        calls.Add(e);
        calls.AddTrace(e.Id, System.Diagnostics.Activity.Current?.TraceId.ToString());
        return Task.CompletedTask;
    }
}

public sealed class AlwaysFailingHandler(HandlerCalls calls) : IEventHandler
{
    public Task HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        calls.Add(e);
        throw new InvalidOperationException("payment provider said no");
    }
}

/// <summary>Signals that it started, then waits until the test opens the gate or the consumer stops.</summary>
public sealed class GatedHandler(HandlerCalls calls, HandlerGate gate) : IEventHandler
{
    public async Task HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        calls.Add(e);
        gate.Started.TrySetResult();
        await gate.Open.Task.WaitAsync(ct);
    }
}

public sealed class HandlerGate
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
