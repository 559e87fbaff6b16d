namespace Shop.Shared.Messaging;

/// <summary>One consumer queue; set in code by <see cref="MessagingRegistration.AddEventConsumer{THandler}"/>.</summary>
public sealed class EventConsumerOptions
{
    /// <summary>The durable queue; also the consumer's name in <c>processedEvents</c>.</summary>
    public string Queue { get; set; } = "";

    /// <summary>Topic patterns bound to the events exchange, e.g. <c>order.*</c>.</summary>
    public IReadOnlyList<string> Bindings { get; set; } = [];

    /// <summary>Deliveries the broker may push before earlier ones are acknowledged.</summary>
    public ushort Prefetch { get; set; } = 16;

    /// <summary>Handler runs per message, the first included; the last failure dead-letters it.</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The named-options key of the consumer for a handler type.</summary>
    public static string NameFor(Type handlerType) => handlerType.FullName ?? handlerType.Name;
}
