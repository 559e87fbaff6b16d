using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
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
    [SkippableFact]
    public async Task Orders_placed_while_RabbitMQ_is_frozen_are_confirmed_their_events_wait_in_the_outbox_and_each_arrives_exactly_once()
    {
        await using var flow = await OrderEventFlow.StartAsync("frozen-order-flow", "pauses");
        var outbox = flow.RelayAndConsumer.Collection<BsonDocument>(MongoOutbox.CollectionName);

        var first = await flow.PlaceAsync(3);
        await flow.WaitForAllEventsAsync(first, "the orders before the freeze");
        var clock = Stopwatch.StartNew();
        long heldDuringFreeze;
        try
        {
            await LocalServers.PauseAsync("rabbitmq");
            var during = await flow.PlaceAsync(5);
            foreach (var id in during)
            {
                await flow.Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, OrderEventFlow.Timeout);
            }

            // The relay has tried and got no confirm within its timeout: the events are kept, unsent, for a retry.
            var unsentRetried = Builders<BsonDocument>.Filter.And(
                Builders<BsonDocument>.Filter.Eq("sentAt", BsonNull.Value),
                Builders<BsonDocument>.Filter.Gte("attempts", 1));
            await Eventually.TrueAsync(async () => await outbox.CountDocumentsAsync(unsentRetried) > 0, OrderEventFlow.Timeout, "a publish to the frozen broker timed out and was scheduled again");
            heldDuringFreeze = (await flow.RelayAndConsumer.Relay.GetBacklogAsync(CancellationToken.None)).Count;
            var duringEvents = 0;
            foreach (var id in during)
            {
                duringEvents += (await flow.Orders.OutboxEventTypesAsync(id)).Count;
            }

            Assert.True(heldDuringFreeze >= duringEvents, $"the outbox holds the {duringEvents} events of the orders placed during the freeze (backlog {heldDuringFreeze})");
            Assert.DoesNotContain(during, id => flow.Calls.All.Any(c => c.Id.StartsWith(id + ":", StringComparison.Ordinal)));
        }
        finally
        {
            await LocalServers.ResumeAsync("rabbitmq");
        }

        output.WriteLine($"RabbitMQ was frozen for {clock.Elapsed.TotalSeconds:0.0} s; {heldDuringFreeze} events waited in the outbox");
        await flow.AssertEveryEventArrivesOnceAsync(output);
    }
}
