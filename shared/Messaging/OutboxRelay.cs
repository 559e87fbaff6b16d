using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Shop.Shared.Observability;

namespace Shop.Shared.Messaging;

/// <summary>
/// Publishes stored events to the events exchange and marks each one sent only after the broker confirmed it.
/// <list type="bullet">
/// <item>Due events are claimed in batches, with one lease update per batch (<c>LeasedClaims.ClaimManyAsync</c>),
/// before they are published, so relays in several instances of an app can run at once without publishing the same
/// event at the same time. A relay that dies holding a lease delays those events by the lease duration; then another
/// relay takes them.</item>
/// <item>A batch is published with all its confirms in flight and marked sent with one update, so MongoDB costs three
/// operations per batch rather than two per event (find, claim, mark sent; a fourth re-reads the claimed events only
/// when another relay took some of the batch first), and the broker's confirm latency is paid once per batch.</item>
/// <item>Publishes are persistent and mandatory. A nack, a return (no queue is bound for the routing key) or an error
/// counts as a failed attempt and the event is tried again after an exponential back-off with jitter.</item>
/// <item>Delivery is at least once: if the process dies between the confirm and marking the event sent, or marking it
/// fails, the event is published again later. Consumers deduplicate by event id.</item>
/// <item>Events are taken in createdAt order, but one in back-off does not hold back those after it, so consumers must
/// not rely on order.</item>
/// </list>
/// </summary>
public sealed class OutboxRelay(
    MongoOutbox outbox,
    RabbitMqConnection rabbit,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ShopMetrics metrics,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int MaxBatchesPerPass = 50;

    private readonly OutboxOptions _options = options.Value;
    // Hand-computed, not Polly: each event's next try is stored in MongoDB (nextAttemptAt) and outlives this process.
    private readonly RetryBackoff _backoff = new(options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);
    private readonly SemaphoreSlim _passGate = new(1, 1);
    private IChannel? _channel;
    private bool _lastPassFailed;

    /// <summary>One pass: publishes every event that is due now, in batches; returns how many the broker confirmed.</summary>
    public async Task<int> RelayPendingAsync(CancellationToken cancellationToken)
    {
        await _passGate.WaitAsync(cancellationToken);
        try
        {
            var published = 0;
            for (var batchNumber = 0; batchNumber < MaxBatchesPerPass; batchNumber++)
            {
                var now = Now();
                var batch = await outbox.FindDueAsync(now, _options.BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                // Before any claim: while the broker is away no event is touched, so an outage costs no attempts.
                var channel = await GetChannelAsync(cancellationToken);
                var claimed = await outbox.ClaimAsync(batch, cancellationToken);
                var claimedAny = claimed.Count > 0;
                var outcomes = await PublishAllAsync(channel, claimed, cancellationToken);

                var confirmed = claimed.Where((_, i) => outcomes[i] == PublishOutcome.Confirmed).ToList();
                await outbox.MarkSentAsync([.. confirmed.Select(c => c.Id)], Now(), cancellationToken);
                foreach (var message in confirmed)
                {
                    metrics.OutboxPublished(message.Type);
                }

                published += confirmed.Count;
                var channelBroken = false;
                for (var i = 0; i < claimed.Count; i++)
                {
                    if (outcomes[i] != PublishOutcome.Confirmed)
                    {
                        await outbox.ScheduleRetryAsync(claimed[i], Now() + _backoff.Next(claimed[i].Attempts + 1), outcomes[i].Error, cancellationToken);
                        channelBroken |= outcomes[i].ChannelBroken;
                    }
                }

                if (channelBroken)
                {
                    await DropChannelAsync();
                    return published;
                }

                if (!claimedAny || batch.Count < _options.BatchSize)
                {
                    break;
                }
            }

            return published;
        }
        finally
        {
            _passGate.Release();
        }
    }

    public Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken) => outbox.GetBacklogAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await DropChannelAsync();
    }

    public override void Dispose()
    {
        _channel?.Dispose();
        _passGate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await RelayPendingAsync(stoppingToken);
                if (_lastPassFailed)
                {
                    logger.LogInformation("Outbox relay is publishing again ({Published} events in the first pass)", published);
                    _lastPassFailed = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Logged once per outage, not once per poll.
                if (!_lastPassFailed)
                {
                    logger.LogWarning("Outbox relay pass failed, retrying every {PollInterval}: {Error}", _options.PollInterval, MessageHeaders.DescribeError(exception));
                }

                _lastPassFailed = true;
            }

            try
            {
                await signal.WaitAsync(_options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Publishes the batch with every confirm in flight at once (the channel keeps the publish order), then waits for
    /// all of them; outcomes are in the order of <paramref name="messages"/>.
    /// </summary>
    private async Task<PublishOutcome[]> PublishAllAsync(IChannel channel, IReadOnlyList<OutboxDocument> messages, CancellationToken cancellationToken)
    {
        using var confirmTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        confirmTimeout.CancelAfter(rabbit.Options.ConfirmTimeout);
        var publishes = new Task<PublishOutcome>[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            publishes[i] = PublishAsync(channel, messages[i], confirmTimeout.Token, cancellationToken);
        }

        return await Task.WhenAll(publishes);
    }

    private async Task<PublishOutcome> PublishAsync(
        IChannel channel, OutboxDocument message, CancellationToken confirmTimeout, CancellationToken cancellationToken)
    {
        using var publish = MessagingTelemetry.StartPublish(message, rabbit.Options.Exchange);
        var properties = EventMessage.Properties(message.Id, message.Type, message.OccurredAt, publish?.Id ?? message.TraceParent);
        byte[] body;
        try
        {
            body = EventMessage.Body(message.Id, message.Type, message.OccurredAt, message.Payload);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            // Backs off like any failure instead of aborting every pass that meets it.
            return PublishOutcome.Failed("the stored payload is not valid JSON: " + exception.Message);
        }

        try
        {
            // With confirm tracking this completes only on the broker's ack; a nack or a return throws PublishException.
            await channel.BasicPublishAsync(rabbit.Options.Exchange, message.RoutingKey, mandatory: true, properties, body, confirmTimeout);
            return PublishOutcome.Confirmed;
        }
        catch (PublishException exception)
        {
            return PublishOutcome.Failed(exception.IsReturn ? "unroutable: no queue is bound for " + message.RoutingKey : "nacked by the broker");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Closed channel, connection loss or no confirm in time: the channel's state is unknown, start afresh.
            logger.LogWarning("Publishing {EventId} ({EventType}) failed: {Error}", message.Id, message.Type, MessageHeaders.DescribeError(exception));
            return PublishOutcome.Broken(MessageHeaders.DescribeError(exception));
        }
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open && !rabbit.IsRecovering)
        {
            return open;
        }

        await DropChannelAsync();
        var connection = await rabbit.GetConnectionAsync(cancellationToken);
        if (!connection.IsOpen)
        {
            throw new InvalidOperationException("RabbitMQ is not connected; the connection is recovering.");
        }

        var channel = await RabbitMqConnection.CreateConfirmingChannelAsync(connection, cancellationToken);
        channel.BasicReturnAsync += OnReturnAsync;
        await rabbit.DeclareExchangeAsync(channel, cancellationToken);
        _channel = channel;
        return channel;
    }

    /// <summary>Only for the log: the publish itself already fails with a PublishException whose IsReturn is set.</summary>
    private Task OnReturnAsync(object sender, BasicReturnEventArgs args)
    {
        logger.LogWarning(
            "Broker returned {EventId} ({RoutingKey}): {ReplyCode} {ReplyText}",
            args.BasicProperties.MessageId, args.RoutingKey, args.ReplyCode, args.ReplyText);
        return Task.CompletedTask;
    }

    private async Task DropChannelAsync()
    {
        if (_channel is not { } channel)
        {
            return;
        }

        _channel = null;
        channel.BasicReturnAsync -= OnReturnAsync;
        try
        {
            await channel.CloseAsync();
            await channel.DisposeAsync();
        }
        catch (Exception exception)
        {
            logger.LogDebug("Closing the relay channel failed: {Error}", exception.GetType().Name);
        }
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private sealed record PublishOutcome(string Error, bool ChannelBroken)
    {
        public static readonly PublishOutcome Confirmed = new("", false);

        public static PublishOutcome Failed(string error) => new(error, false);

        public static PublishOutcome Broken(string error) => new(error, true);
    }
}
