using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shop.Shared.Observability;

namespace Shop.Shared.Messaging;

/// <summary>
/// Consumes one durable queue and hands each event to <typeparamref name="THandler"/> (resolved in a scope per message).
/// <list type="bullet">
/// <item>At least once: the message is acknowledged only after the handler returned and the event id was recorded in
/// <c>processedEvents</c>; an event id already recorded for this queue is acknowledged without calling the handler.
/// Handlers must still tolerate a repeat (see <see cref="IEventHandler"/>). When that record cannot be read or
/// written, the message is requeued after a pause without counting an attempt: a database outage delays events, it
/// does not dead-letter them.</item>
/// <item>A failed run is retried up to <see cref="EventConsumerOptions.MaxAttempts"/> runs in all: after a short
/// back-off the message is republished (confirmed) straight to this queue with the header <c>x-attempts</c> counting the
/// failures, then the failed delivery is acknowledged. The last failure rejects it without requeue, so the broker
/// dead-letters it into <c>&lt;queue&gt;.dead</c> with its headers and an <c>x-death</c> entry.</item>
/// <item>Survives the broker going away: automatic recovery restores the channel and the consumer; when it cannot
/// (the channel was closed by an error, or the connection was replaced), the consumer starts over on a new channel.</item>
/// </list>
/// A counter header was chosen over the broker's <c>x-death</c> counts because <c>x-death</c> only grows when a message
/// is dead-lettered, which would need a retry exchange and queue per consumer to loop messages back; republishing to the
/// same queue needs no extra topology, counts failures exactly per queue (the other queues bound to the same event keep
/// their own counts) and leaves x-death to mean exactly one thing: it went to the dead-letter queue. The price: the
/// back-off is spent in this process, and a consumer handles one message at a time, so a retry pauses its queue for
/// that long; it is kept to seconds, and a long retry schedule would need the TTL-queue design instead.
/// </summary>
public sealed class EventConsumer<THandler>(
    IServiceScopeFactory scopes,
    RabbitMqConnection rabbit,
    ProcessedEvents processed,
    IOptionsMonitor<EventConsumerOptions> optionsMonitor,
    TimeProvider time,
    ShopMetrics metrics,
    ILogger<EventConsumer<THandler>> logger) : BackgroundService
    where THandler : class, IEventHandler
{
    private static readonly TimeSpan SupervisionInterval = TimeSpan.FromSeconds(1);

    private readonly EventConsumerOptions _options = optionsMonitor.Get(EventConsumerOptions.NameFor(typeof(THandler)));
    private static readonly RetryBackoff ReconnectBackoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
    private IChannel? _channel;

    public string Queue => _options.Queue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(_options.Queue) || _options.MaxAttempts < 1)
        {
            throw new InvalidOperationException($"The consumer for {typeof(THandler).Name} needs a queue name and MaxAttempts >= 1.");
        }

        // Redelivery delays stay hand-computed: the attempt count travels in the message (x-attempts), not in a loop.
        var retryBackoff = new RetryBackoff(_options.RetryBaseDelay, _options.RetryMaxDelay);
        var reconnect = RetryUntilStopped.Build(ReconnectBackoff, time, (failures, exception) => logger.Log(
            failures == 1 ? LogLevel.Warning : LogLevel.Debug,
            "Consumer of {Queue} cannot consume (try {Failures}), retrying: {Error}",
            _options.Queue, failures, MessageHeaders.DescribeError(exception)));
        try
        {
            // Each lost channel starts a fresh retry sequence, so the back-off restarts from its shortest delay.
            while (!stoppingToken.IsCancellationRequested)
            {
                await reconnect.ExecuteAsync(token => new ValueTask(ConsumeUntilChannelLostAsync(retryBackoff, token)), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ConsumeUntilChannelLostAsync(RetryBackoff retryBackoff, CancellationToken stoppingToken)
    {
        var connection = await rabbit.GetConnectionAsync(stoppingToken);
        var channel = await RabbitMqConnection.CreateConfirmingChannelAsync(connection, stoppingToken);
        try
        {
            await rabbit.DeclareConsumerQueueAsync(channel, _options.Queue, _options.Bindings, stoppingToken);
            await channel.BasicQosAsync(prefetchSize: 0, _options.Prefetch, global: false, stoppingToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, delivery, retryBackoff, stoppingToken);
            await channel.BasicConsumeAsync(_options.Queue, autoAck: false, consumer, stoppingToken);
            _channel = channel;
            logger.LogInformation("Consuming {Queue} ({Bindings}) with {Handler}", _options.Queue, string.Join(", ", _options.Bindings), typeof(THandler).Name);
            await WaitUntilLostAsync(connection, channel, stoppingToken);
        }
        finally
        {
            _channel = null;
            await CloseQuietlyAsync(channel);
        }
    }

    /// <summary>Returns when automatic recovery will not bring this channel back.</summary>
    private async Task WaitUntilLostAsync(IConnection connection, IChannel channel, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SupervisionInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!rabbit.IsCurrent(connection))
            {
                logger.LogWarning("Consumer of {Queue}: the connection was replaced, subscribing again", _options.Queue);
                return;
            }

            if (!channel.IsOpen && connection.IsOpen && !rabbit.IsRecovering)
            {
                logger.LogWarning("Consumer of {Queue}: the channel was closed ({Reason}), subscribing again", _options.Queue, channel.CloseReason?.ReplyText);
                return;
            }
        }
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery, RetryBackoff retryBackoff, CancellationToken stoppingToken)
    {
        try
        {
            await HandleDeliveryAsync(channel, delivery, retryBackoff, stoppingToken);
        }
        catch (Exception exception) when (stoppingToken.IsCancellationRequested)
        {
            // Not acknowledged: the broker requeues it when the channel closes on the way out.
            logger.LogDebug("Consumer of {Queue} stopping with {MessageId} unacknowledged: {Error}", _options.Queue, delivery.BasicProperties.MessageId, exception.GetType().Name);
        }
        catch (Exception exception)
        {
            logger.LogWarning(
                "Consumer of {Queue} could not settle {MessageId}; it will be delivered again: {Error}",
                _options.Queue, delivery.BasicProperties.MessageId, MessageHeaders.DescribeError(exception));
            await TryRequeueAsync(channel, delivery.DeliveryTag);
        }
    }

    private async Task HandleDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery, RetryBackoff retryBackoff, CancellationToken stoppingToken)
    {
        if (!EventMessage.TryRead(delivery.Body.Span, delivery.BasicProperties, delivery.Redelivered, out var received, out var error))
        {
            logger.LogError("Dead-lettering unreadable message {MessageId} from {Queue}: {Error}", delivery.BasicProperties.MessageId, _options.Queue, error);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None);
            metrics.ConsumerDeadLettered(_options.Queue);
            return;
        }

        using var activity = MessagingTelemetry.StartProcess(
            received, _options.Queue, MessageHeaders.ReadString(delivery.BasicProperties.Headers, MessageHeaders.TraceParent));
        using var logScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["CorrelationId"] = activity?.TraceId.ToString() ?? received.Id,
            ["EventId"] = received.Id,
            ["Queue"] = _options.Queue,
        });
        bool alreadyHandled;
        try
        {
            alreadyHandled = await processed.ContainsAsync(_options.Queue, received.Id, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            await RequeueLaterAsync(channel, delivery, exception, stoppingToken);
            return;
        }

        if (alreadyHandled)
        {
            logger.LogInformation("Consumer of {Queue} skips {EventId} ({EventType}): already handled", _options.Queue, received.Id, received.Type);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(received, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            await RetryOrDeadLetterAsync(channel, delivery, received, exception, retryBackoff, stoppingToken);
            return;
        }

        try
        {
            await processed.MarkAsync(_options.Queue, received.Id, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The work is done but not recorded: the redelivery runs the (idempotent) handler again.
            await RequeueLaterAsync(channel, delivery, exception, stoppingToken);
            return;
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
    }

    /// <summary>
    /// The consumer's own bookkeeping (MongoDB) failed, not the handler: the message goes back to the queue without
    /// spending one of its attempts, after a pause that holds back this consumer until the database answers again.
    /// </summary>
    private async Task RequeueLaterAsync(IChannel channel, BasicDeliverEventArgs delivery, Exception exception, CancellationToken stoppingToken)
    {
        logger.LogWarning(
            "Consumer of {Queue} cannot reach processedEvents for {MessageId}, requeueing it: {Error}",
            _options.Queue, delivery.BasicProperties.MessageId, MessageHeaders.DescribeError(exception));
        await Task.Delay(_options.RetryMaxDelay, time, stoppingToken);
        await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
    }

    private async Task RetryOrDeadLetterAsync(
        IChannel channel,
        BasicDeliverEventArgs delivery,
        ReceivedEvent received,
        Exception exception,
        RetryBackoff retryBackoff,
        CancellationToken stoppingToken)
    {
        metrics.ConsumerFailed(_options.Queue);
        if (received.Attempt >= _options.MaxAttempts)
        {
            logger.LogError(
                exception, "Dead-lettering {EventId} ({EventType}) from {Queue} after {Attempts} failed attempts",
                received.Id, received.Type, _options.Queue, received.Attempt);
            await channel.BasicRejectAsync(delivery.DeliveryTag, requeue: false, CancellationToken.None);
            metrics.ConsumerDeadLettered(_options.Queue);
            return;
        }

        logger.LogWarning(
            "Handling {EventId} ({EventType}) from {Queue} failed (attempt {Attempt} of {MaxAttempts}), retrying: {Error}",
            received.Id, received.Type, _options.Queue, received.Attempt, _options.MaxAttempts, MessageHeaders.DescribeError(exception));
        var body = delivery.Body.ToArray();
        await Task.Delay(retryBackoff.Next(received.Attempt), time, stoppingToken);
        using var confirmTimeout = new CancellationTokenSource(rabbit.Options.ConfirmTimeout, time);
        // The copy is confirmed before the original is acknowledged: a crash in between duplicates, never loses.
        await channel.BasicPublishAsync(
            exchange: "", routingKey: _options.Queue, mandatory: true,
            EventMessage.ForRetry(delivery.BasicProperties, received.Attempt, exception), body, confirmTimeout.Token);
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
    }

    private async Task TryRequeueAsync(IChannel channel, ulong deliveryTag)
    {
        if (!channel.IsOpen)
        {
            return;
        }

        try
        {
            await channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.LogDebug("Requeueing on {Queue} failed: {Error}", _options.Queue, exception.GetType().Name);
        }
    }

    private async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync();
            }

            await channel.DisposeAsync();
        }
        catch (Exception exception)
        {
            logger.LogDebug("Closing the channel of {Queue} failed: {Error}", _options.Queue, exception.GetType().Name);
        }
    }
}
