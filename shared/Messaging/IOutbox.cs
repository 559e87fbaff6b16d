namespace Shop.Shared.Messaging;

/// <summary>Stores events in MongoDB next to the state they describe; the outbox relay publishes them to RabbitMQ.</summary>
public interface IOutbox
{
    /// <summary>Stores the event unless one with the same id is already stored (idempotent).</summary>
    Task AddAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken);
}
