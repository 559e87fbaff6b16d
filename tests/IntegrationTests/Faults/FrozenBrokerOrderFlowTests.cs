using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Messaging;
using Shop.IntegrationTests.Orders;
using Shop.Orders.Documents;
using Shop.Shared.Http;
using Shop.Shared.Messaging;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// RabbitMQ frozen (SIGSTOP) while orders are placed: the relay's connection stays open and its publishes are written
/// to a socket nobody reads, so they are neither confirmed nor refused. The broker may still take them in when it
/// continues, after the relay has already scheduled them again: the consumer must see each event once all the same.
/// </summary>
[Collection(DependencyOutageCollection.Name)]
public sealed class FrozenBrokerOrderFlowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task Orders_placed_while_RabbitMQ_is_frozen_are_confirmed_their_events_wait_in_the_outbox_and_each_arrives_exactly_once()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_RABBITMQ_URI", environment.Servers.RabbitMqUri), "This test pauses RabbitMQ, which only works with the broker of scripts/servers.sh.");
        var queue = environment.Queue("frozen-order-flow");
        var calls = new HandlerCalls();
        await using var orders = await OrderTestApp.StartAsync(
            Fakes.Stock(new CallJournal()).Object,
            extraSettings: new Dictionary<string, string?> { ["Mongo:Database"] = environment.Database });
        await using var relayAndConsumer = await MessagingApp.CreateAsync(environment, services =>
        {
            services.AddSingleton(calls);
            services.AddEventConsumer<RecordingHandler>(queue, ["order.*"]);
        });
        await relayAndConsumer.StartAsync();
        var outbox = relayAndConsumer.Collection<BsonDocument>(MongoOutbox.CollectionName);
        var placed = new List<string>();
        var statuses = new List<int>();

        async Task<List<string>> PlaceAsync(int count)
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var response = await orders.PlaceAsync(OrderTestApp.SampleOrder(Ids.New()), TestTokens.Customer(), Guid.NewGuid().ToString());
                statuses.Add(response.Status);
                if (response.Status == 202)
                {
                    ids.Add(response.Document.GetProperty("orderId").GetString()!);
                }
            }

            placed.AddRange(ids);
            return ids;
        }

        var first = await PlaceAsync(3);
        await WaitForAllEventsAsync(orders, first, calls, "the orders before the freeze");
        var clock = Stopwatch.StartNew();
        long heldDuringFreeze;
        try
        {
            await LocalServers.PauseAsync("rabbitmq");
            var during = await PlaceAsync(5);
            foreach (var id in during)
            {
                await orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Timeout);
            }

            // The relay has tried and got no confirm within its timeout: the events are kept, unsent, for a retry.
            var unsentRetried = Builders<BsonDocument>.Filter.And(
                Builders<BsonDocument>.Filter.Eq("sentAt", BsonNull.Value),
                Builders<BsonDocument>.Filter.Gte("attempts", 1));
            await Eventually.TrueAsync(async () => await outbox.CountDocumentsAsync(unsentRetried) > 0, Timeout, "a publish to the frozen broker timed out and was scheduled again");
            heldDuringFreeze = (await relayAndConsumer.Relay.GetBacklogAsync(CancellationToken.None)).Count;
            var duringEvents = 0;
            foreach (var id in during)
            {
                duringEvents += (await orders.OutboxEventTypesAsync(id)).Count;
            }

            Assert.True(heldDuringFreeze >= duringEvents, $"the outbox holds the {duringEvents} events of the orders placed during the freeze (backlog {heldDuringFreeze})");
            Assert.DoesNotContain(during, id => calls.All.Any(c => c.Id.StartsWith(id + ":", StringComparison.Ordinal)));
        }
        finally
        {
            await LocalServers.ResumeAsync("rabbitmq");
        }

        output.WriteLine($"RabbitMQ was frozen for {clock.Elapsed.TotalSeconds:0.0} s; {heldDuringFreeze} events waited in the outbox");
        await PlaceAsync(2);
        var expected = await WaitForAllEventsAsync(orders, placed, calls, "every order event was delivered");

        // One queue, one consumer: a marker published last arrives after anything delivered twice.
        var marker = IntegrationEvent.Create("marker-" + Guid.NewGuid().ToString("N"), "order.created", new { marker = true }, DateTime.UtcNow);
        await relayAndConsumer.Outbox.AddAsync(marker, CancellationToken.None);
        await Eventually.TrueAsync(() => calls.Saw(marker.Id), Timeout, "the marker was handled");

        Assert.All(statuses, s => Assert.Equal(202, s));
        Assert.Equal(10, placed.Distinct().Count());
        Assert.Equal(30, expected.Count);
        Assert.All(expected, id => Assert.Equal(1, calls.CountFor(id)));
        Assert.Equal(0, (await relayAndConsumer.Relay.GetBacklogAsync(CancellationToken.None)).Count);
        output.WriteLine($"{expected.Count} events of {placed.Count} orders, each handled once");
    }

    private static async Task<List<string>> WaitForAllEventsAsync(OrderTestApp orders, IReadOnlyList<string> ids, HandlerCalls calls, string what)
    {
        foreach (var id in ids)
        {
            await orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Timeout);
        }

        var expected = new List<string>();
        foreach (var id in ids)
        {
            expected.AddRange((await orders.OutboxEventTypesAsync(id)).Select(type => $"{id}:{type}"));
        }

        await Eventually.TrueAsync(() => expected.All(calls.Saw), Timeout, what);
        return expected;
    }
}
