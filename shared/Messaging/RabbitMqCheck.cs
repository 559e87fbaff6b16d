using Shop.Shared.Health;

namespace Shop.Shared.Messaging;

/// <summary>Ready when the shared connection is open; a connection still recovering counts as down.</summary>
public sealed class RabbitMqCheck(RabbitMqConnection rabbit) : IDependencyCheck
{
    public string Name => "rabbitmq";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var connection = await rabbit.GetConnectionAsync(cancellationToken);
        if (!connection.IsOpen)
        {
            throw new InvalidOperationException("The RabbitMQ connection is recovering.");
        }
    }
}
