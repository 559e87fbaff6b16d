using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Shop.Shared.Messaging;

namespace Shop.Testing.Messaging;

/// <summary>A test's own look at the broker: an observer queue on the events exchange, queue depths, raw publishes.</summary>
public sealed class BrokerProbe : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly MessagingEnvironment _environment;

    private BrokerProbe(MessagingEnvironment environment, IConnection connection, IChannel channel)
    {
        _environment = environment;
        _connection = connection;
        _channel = channel;
    }

    public sealed record Message(string? MessageId, string? Type, IReadOnlyBasicProperties Properties, string Body)
    {
        public string? Header(string name) => MessageHeaders.ReadString(Properties.Headers, name);
    }

    public static async Task<BrokerProbe> ConnectAsync(MessagingEnvironment environment)
    {
        var connection = await environment.ConnectAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new BrokerProbe(environment, connection, channel);
    }

    /// <summary>A durable queue bound to the events exchange with <paramref name="pattern"/>; it sees what the relay publishes.</summary>
    public async Task<string> BindObserverAsync(string pattern = "#", string name = "observer")
    {
        var queue = _environment.Queue(name);
        await _channel.ExchangeDeclareAsync(_environment.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        await _channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await _channel.QueueBindAsync(queue, _environment.Exchange, pattern);
        return queue;
    }

    /// <summary>
    /// Takes every message now in the queue. A publisher confirm means the broker has routed the message, so after a
    /// confirmed publish this returns it without any waiting.
    /// </summary>
    public async Task<List<Message>> DrainAsync(string queue)
    {
        var messages = new List<Message>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add(new Message(result.BasicProperties.MessageId, result.BasicProperties.Type, result.BasicProperties, Encoding.UTF8.GetString(result.Body.Span)));
        }

        return messages;
    }

    /// <summary>Messages ready in the queue (unacknowledged ones not counted); 0 when the queue does not exist yet.</summary>
    public async Task<uint> ReadyCountAsync(string queue) => (await DeclarePassiveAsync(queue))?.MessageCount ?? 0;

    public async Task<uint> ConsumerCountAsync(string queue) => (await DeclarePassiveAsync(queue))?.ConsumerCount ?? 0;

    /// <summary>On a channel of its own: the broker closes the channel when the queue does not exist.</summary>
    private async Task<QueueDeclareOk?> DeclarePassiveAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return null;
        }
    }

    /// <summary>Publishes a message the way the relay does, confirmed; for duplicates and malformed messages.</summary>
    public async Task PublishAsync(string routingKey, string messageId, string body)
    {
        var properties = new BasicProperties
        {
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = messageId,
            Type = routingKey,
            ContentType = "application/json",
        };
        await _channel.BasicPublishAsync(_environment.Exchange, routingKey, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    public static string Envelope(string id, string type, object data) =>
        System.Text.Json.JsonSerializer.Serialize(new { id, type, occurredAt = DateTime.UtcNow, data });

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
