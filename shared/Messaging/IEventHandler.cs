namespace Shop.Shared.Messaging;

/// <summary>
/// Handles one event type family for one consumer queue. Delivery is at least once: the same event can arrive again
/// (a redelivery after a lost ack, a relay that republished after a lost confirm, a retry after a failure). The
/// consumer skips event ids it has recorded as processed, but the record is written after the handler returns, so a
/// crash in between still repeats the call: a handler must be safe to run twice for the same event id.
/// </summary>
public interface IEventHandler
{
    /// <summary>Throw to fail this attempt; the message is retried and finally dead-lettered.</summary>
    Task HandleAsync(ReceivedEvent e, CancellationToken ct);
}
