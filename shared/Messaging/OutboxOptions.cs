namespace Shop.Shared.Messaging;

/// <summary>Section <c>Outbox</c>: how the relay drains the outbox collection into RabbitMQ.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>A claim update and a mark-sent update carry every id of a batch; this keeps them small.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>How often the relay looks for unsent events when nothing in this process woke it earlier.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events claimed, published with their confirms in flight, and marked sent together.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long a claimed event is reserved for the relay instance that claimed it. Longer than a publish and its
    /// confirm can take, so a second instance only takes over an event whose first claimer died.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Confirmed events are deleted by a TTL index after this time; unsent ones are never deleted.</summary>
    public TimeSpan KeepSentFor { get; set; } = TimeSpan.FromDays(7);
}
