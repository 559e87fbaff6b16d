using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Shop.Shared.Messaging;

/// <summary>
/// The process's one RabbitMQ connection (channels are cheap, connections are not). It is created on first use, so an
/// app starts while the broker is down; the client's automatic recovery brings it back after a network failure or a
/// broker restart, re-declaring the topology and re-registering consumers; and it is replaced when recovery cannot
/// apply (closed by the application, access refused) or has not succeeded within
/// <see cref="RabbitMqOptions.ReplaceStuckConnectionAfter"/>. Users hold a connection only as long as
/// <see cref="IsCurrent"/> says it is this one.
/// </summary>
public sealed class RabbitMqConnection(
    IOptions<RabbitMqOptions> options,
    TimeProvider time,
    ILogger<RabbitMqConnection> logger) : IAsyncDisposable, IDisposable
{
    private readonly RabbitMqOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private volatile bool _recovering;
    private long _downSince;
    private bool _disposed;

    public RabbitMqOptions Options => _options;

    /// <summary>The connection is down and the client is still trying to recover it; channels will come back by themselves.</summary>
    public bool IsRecovering => _recovering;

    public bool IsOpen => _connection?.IsOpen == true;

    public bool IsCurrent(IConnection connection) => ReferenceEquals(connection, _connection);

    /// <summary>The open (or still recovering) connection; connects when there is none. Throws when the broker cannot be reached.</summary>
    public async Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        if (current is not null && Usable(current))
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            current = _connection;
            if (current is not null && Usable(current))
            {
                return current;
            }

            if (current is not null)
            {
                logger.LogWarning("Replacing the RabbitMQ connection: it is closed and automatic recovery is not bringing it back");
                _connection = null;
                await CloseQuietlyAsync(current);
            }

            var created = await ConnectAsync(cancellationToken);
            _recovering = false;
            _connection = created;
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A channel whose publishes wait for the broker's confirm; a nack or a return of a mandatory message throws.</summary>
    public static async Task<IChannel> CreateConfirmingChannelAsync(IConnection connection, CancellationToken cancellationToken) =>
        await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);

    public Task DeclareExchangeAsync(IChannel channel, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);

    /// <summary>
    /// Declares, idempotently, the events exchange, the consumer's durable queue bound to the patterns, and where the
    /// queue's rejected messages go: the direct exchange <c>&lt;exchange&gt;.dlx</c> routes them by queue name into
    /// <c>&lt;queue&gt;.dead</c>. Bindings that were removed from code are not unbound (a deployment step does that).
    /// </summary>
    public async Task DeclareConsumerQueueAsync(IChannel channel, string queue, IEnumerable<string> bindings, CancellationToken cancellationToken)
    {
        var deadLetterQueue = RabbitMqOptions.DeadLetterQueue(queue);
        await DeclareExchangeAsync(channel, cancellationToken);
        await channel.ExchangeDeclareAsync(_options.DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(deadLetterQueue, _options.DeadLetterExchange, routingKey: queue, cancellationToken: cancellationToken);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["x-dead-letter-exchange"] = _options.DeadLetterExchange,
            ["x-dead-letter-routing-key"] = queue,
        };
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        foreach (var pattern in bindings)
        {
            await channel.QueueBindAsync(queue, _options.Exchange, pattern, cancellationToken: cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is { } connection)
            {
                _connection = null;
                await CloseQuietlyAsync(connection);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>For containers disposed synchronously; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        var connection = Interlocked.Exchange(ref _connection, null);
        connection?.Dispose();
    }

    private bool Usable(IConnection connection) =>
        connection.IsOpen ||
        (_recovering && time.GetElapsedTime(Interlocked.Read(ref _downSince)) < _options.ReplaceStuckConnectionAfter);

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(_options.Uri),
            ClientProvidedName = _options.ClientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = _options.NetworkRecoveryInterval,
            RequestedConnectionTimeout = _options.ConnectionTimeout,
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken);
        // Events of a connection that was already replaced must not change the state of the current one.
        connection.ConnectionShutdownAsync += (_, args) => IsCurrent(connection) ? OnShutdownAsync(args) : Task.CompletedTask;
        connection.RecoverySucceededAsync += (_, _) => IsCurrent(connection) ? OnRecoveredAsync() : Task.CompletedTask;
        connection.ConnectionRecoveryErrorAsync += (_, args) => OnRecoveryErrorAsync(args);
        logger.LogInformation("Connected to RabbitMQ at {Endpoint} as {ClientName}", connection.Endpoint, _options.ClientName);
        return connection;
    }

    private Task OnShutdownAsync(ShutdownEventArgs args)
    {
        // Mirrors when the client starts automatic recovery: not after our own close, not after access was refused.
        var willRecover = args.Initiator != ShutdownInitiator.Application && args.ReplyCode != Constants.AccessRefused;
        Interlocked.Exchange(ref _downSince, time.GetTimestamp());
        _recovering = willRecover;
        logger.Log(
            args.Initiator == ShutdownInitiator.Application ? LogLevel.Debug : LogLevel.Warning,
            "RabbitMQ connection closed ({Initiator} {ReplyCode} {ReplyText}); {Next}",
            args.Initiator, args.ReplyCode, args.ReplyText, willRecover ? "recovering" : "a new one will be made on next use");
        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync()
    {
        _recovering = false;
        logger.LogInformation("RabbitMQ connection recovered");
        return Task.CompletedTask;
    }

    private Task OnRecoveryErrorAsync(ConnectionRecoveryErrorEventArgs args)
    {
        logger.LogDebug("RabbitMQ recovery attempt failed: {Error}", args.Exception.GetType().Name);
        return Task.CompletedTask;
    }

    private async Task CloseQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(2));
            await connection.DisposeAsync();
        }
        catch (Exception exception)
        {
            logger.LogDebug("Closing the RabbitMQ connection failed: {Error}", exception.GetType().Name);
        }
    }
}
