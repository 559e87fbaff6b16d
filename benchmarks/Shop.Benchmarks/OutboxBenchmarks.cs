using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using RabbitMQ.Client;
using Shop.Testing.Messaging;
using Shop.Shared.Messaging;
using static Shop.Benchmarks.Report;

namespace Shop.Benchmarks;

/// <summary>
/// Figure 6: the outbox relay (claim a batch with a lease in MongoDB, publish it persistent and mandatory with the
/// confirms in flight, mark the batch sent) against raw RabbitMQ.Client publishing the same bodies persistent and
/// mandatory, awaiting each confirm; and against raw publishing with 100 confirms in flight (6b).
/// </summary>
internal static class OutboxBenchmarks
{
    public static async Task RelayAsync(Settings s, Report report)
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var app = await MessagingApp.CreateAsync(environment, extraSettings: new Dictionary<string, string?> { ["Outbox:BatchSize"] = "100" });
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var observer = await broker.BindObserverAsync();

        await using var connection = await environment.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.ExchangeDeclareAsync(environment.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);

        var relayRates = new List<double>();
        var rawRates = new List<double>();
        var pipelinedRates = new List<double>();
        var mongoMicros = new List<double>();
        var bodySize = 0;
        for (var round = 0; round < s.OutboxRounds + 1; round++)
        {
            var events = Enumerable.Range(0, s.OutboxEvents).Select(i => IntegrationEvent.Create(
                $"bench-{round}-{i}-{Guid.NewGuid():N}", "order.created", new { total = 4200 + i, currency = "EUR", items = 2 }, DateTime.UtcNow)).ToList();
            foreach (var e in events)
            {
                await app.Outbox.AddAsync(e, CancellationToken.None);
            }

            var clock = Stopwatch.StartNew();
            var published = 0;
            while (published < events.Count)
            {
                var pass = await app.Relay.RelayPendingAsync(CancellationToken.None);
                ProductBenchmarks.Require(pass > 0, $"relay stalled after {published} of {events.Count}");
                published += pass;
            }

            var relayElapsed = clock.Elapsed;
            // The raw publisher sends exactly the bytes the relay sent (read back from the observer queue, untimed).
            var delivered = await broker.DrainAsync(observer);
            ProductBenchmarks.Require(delivered.Count == events.Count, $"observer got {delivered.Count} of {events.Count}");
            var bodies = delivered.Select(m => System.Text.Encoding.UTF8.GetBytes(m.Body)).ToList();
            bodySize = bodies[0].Length;

            clock.Restart();
            for (var i = 0; i < bodies.Count; i++)
            {
                var properties = new BasicProperties { Persistent = true, MessageId = events[i].Id, Type = events[i].Type, ContentType = "application/json" };
                await channel.BasicPublishAsync(environment.Exchange, events[i].Type, mandatory: true, properties, bodies[i]);
            }

            var rawElapsed = clock.Elapsed;

            // The broker's ceiling with 100 confirms in flight, as the relay publishes a batch.
            clock.Restart();
            foreach (var chunk in bodies.Chunk(100))
            {
                await Task.WhenAll(chunk.Select(b => channel.BasicPublishAsync(environment.Exchange, "order.created", mandatory: true,
                    new BasicProperties { Persistent = true, ContentType = "application/json" }, b).AsTask()));
            }

            var pipelinedElapsed = clock.Elapsed;
            await broker.DrainAsync(observer);

            // What bounds the relay: its three MongoDB operations per batch (find the due events, claim them with a
            // lease, mark them sent), raw, on the same outbox collection (same size, so the same scans on CongoDB).
            var outbox = app.Collection<BsonDocument>(MongoOutbox.CollectionName);
            clock.Restart();
            foreach (var chunk in events.Chunk(100))
            {
                var ids = new BsonArray(chunk.Select(e => e.Id));
                FilterDefinition<BsonDocument> byIds = new BsonDocument("_id", new BsonDocument("$in", ids));
                await outbox.Find(byIds).Limit(100).ToListAsync();
                await outbox.UpdateManyAsync(byIds, Builders<BsonDocument>.Update.Set("benchClaim", DateTime.UtcNow));
                await outbox.UpdateManyAsync(byIds, Builders<BsonDocument>.Update.Set("benchSent", DateTime.UtcNow));
            }

            var mongoElapsed = clock.Elapsed;
            if (round == 0)
            {
                continue; // warm-up
            }

            relayRates.Add(events.Count / relayElapsed.TotalSeconds);
            rawRates.Add(events.Count / rawElapsed.TotalSeconds);
            pipelinedRates.Add(events.Count / pipelinedElapsed.TotalSeconds);
            mongoMicros.Add(mongoElapsed.TotalMicroseconds / events.Count);
        }

        var relay = Measure.Median(relayRates);
        var raw = Measure.Median(rawRates);
        var ratio = relay / raw;
        report.Add(new Row("6", $"outbox relay with publisher confirms (OutboxRelay.RelayPendingAsync), {s.OutboxEvents} events of {bodySize} B",
            F(relay, 0) + " events/s", $"raw RabbitMQ.Client, persistent + mandatory, each confirm awaited: {F(raw, 0)} msg/s", F(ratio, 2), $">= 0.5: {Verdict(ratio >= 0.5)}"));
        report.Add(new Row("6b", "the relay against raw publishing with 100 confirms in flight (the broker's ceiling)", F(relay, 0) + " events/s",
            F(Measure.Median(pipelinedRates), 0) + " msg/s", F(relay / Measure.Median(pipelinedRates), 2), "(context)"));
        var mongoPerEvent = Measure.Median(mongoMicros);
        var bound = 1e6 / (mongoPerEvent + (1e6 / Measure.Median(pipelinedRates)));
        report.Add(new Row("6c", "what bounds 6: the relay's 3 MongoDB operations per batch of 100 (find, claim, mark sent), raw, same collection", Us(mongoPerEvent) + " per event",
            $"implied ceiling (those operations + pipelined confirmed publish): {F(bound, 0)} events/s", F(relay / bound, 2), "(what bounds 6)"));
        report.Ratio($"outbox={F(ratio, 2)}(>=0.5:{Verdict(ratio >= 0.5)})");
    }
}
