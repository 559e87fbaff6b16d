using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using RabbitMQ.Client;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;
using Shop.IntegrationTests.Infrastructure;
using Shop.Testing.Mongo;

namespace Shop.IntegrationTests.Messaging;

public sealed class OutboxRelayTests
{
    private static IntegrationEvent OrderCreated(string? id = null, int total = 4200) =>
        IntegrationEvent.Create(id ?? "order-" + Guid.NewGuid().ToString("N"), "order.created", new { total, currency = "EUR" }, DateTime.UtcNow);

    [SkippableFact]
    public async Task Relay_publishes_every_stored_event_once_with_confirms_and_marks_it_sent()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var app = await MessagingApp.CreateAsync(environment);
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var observer = await broker.BindObserverAsync();
        var events = Enumerable.Range(0, 25).Select(i => OrderCreated(total: i)).ToList();
        foreach (var e in events)
        {
            await app.Outbox.AddAsync(e, CancellationToken.None);
        }

        var published = await app.Relay.RelayPendingAsync(CancellationToken.None);
        var secondPass = await app.Relay.RelayPendingAsync(CancellationToken.None);

        Assert.Equal(25, published);
        Assert.Equal(0, secondPass);
        var messages = await broker.DrainAsync(observer);
        Assert.Equal(events.Select(e => e.Id).Order(), messages.Select(m => m.MessageId).Order());
        var first = messages.Single(m => m.MessageId == events[0].Id);
        Assert.Equal(DeliveryModes.Persistent, first.Properties.DeliveryMode);
        Assert.Equal("order.created", first.Type);
        Assert.Equal("application/json", first.Properties.ContentType);
        Assert.True(first.Properties.Timestamp.UnixTime > 0);
        Assert.Contains("\"total\":0", first.Body, StringComparison.Ordinal);
        var stored = await app.Collection<BsonDocument>(MongoOutbox.CollectionName).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync();
        Assert.All(stored, d => Assert.True(d["sentAt"].IsValidDateTime, d.ToString()));
        Assert.Equal(0, (await app.Relay.GetBacklogAsync(CancellationToken.None)).Count);
    }

    [SkippableFact]
    public async Task A_batch_costs_three_round_trips_find_the_due_events_claim_them_and_mark_them_sent()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        var counter = new MongoCommandCounter(MongoOutbox.CollectionName);
        await using var app = await MessagingApp.CreateAsync(environment, services => services.AddSingleton<IConfigureMongoClient>(counter));
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var observer = await broker.BindObserverAsync();
        foreach (var e in Enumerable.Range(0, 10).Select(i => OrderCreated(total: i)))
        {
            await app.Outbox.AddAsync(e, CancellationToken.None);
        }

        var published = 0;
        var commands = await counter.CountAsync(async () => published = await app.Relay.RelayPendingAsync(CancellationToken.None));

        Assert.Equal(10, published);
        Assert.Equal(["find outbox", "update outbox", "update outbox"], commands.Select(c => c.ToString()));
        Assert.Equal(10, (await broker.DrainAsync(observer)).Count);
    }

    [SkippableFact]
    public async Task Adding_the_same_event_id_twice_stores_and_publishes_it_once()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var app = await MessagingApp.CreateAsync(environment);
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var observer = await broker.BindObserverAsync();
        var id = "order-1:order.created";

        await app.Outbox.AddAsync(OrderCreated(id, total: 1), CancellationToken.None);
        await app.Outbox.AddAsync(OrderCreated(id, total: 2), CancellationToken.None);
        await app.Relay.RelayPendingAsync(CancellationToken.None);

        var stored = await app.Collection<BsonDocument>(MongoOutbox.CollectionName).Find(new BsonDocument("_id", id)).ToListAsync();
        Assert.Single(stored);
        Assert.Contains("\"total\":1", stored[0]["payload"].AsString, StringComparison.Ordinal);
        var messages = await broker.DrainAsync(observer);
        Assert.Equal(id, Assert.Single(messages).MessageId);
    }

    [SkippableFact]
    public async Task Unroutable_event_is_not_marked_sent_and_is_published_after_a_back_off_once_a_queue_is_bound()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var app = await MessagingApp.CreateAsync(environment);
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var e = OrderCreated();
        await app.Outbox.AddAsync(e, CancellationToken.None);

        var published = await app.Relay.RelayPendingAsync(CancellationToken.None);

        Assert.Equal(0, published);
        var stored = (await app.MongoOutbox.FindAsync(e.Id, CancellationToken.None))!;
        Assert.Null(stored.SentAt);
        Assert.Equal(1, stored.Attempts);
        Assert.True(stored.NextAttemptAt > stored.CreatedAt);
        Assert.StartsWith("unroutable", stored.LastError, StringComparison.Ordinal);

        var observer = await broker.BindObserverAsync();
        await Eventually.TrueAsync(async () => await app.Relay.RelayPendingAsync(CancellationToken.None) == 1, TimeSpan.FromSeconds(10), "the retry is published");
        Assert.Equal(e.Id, Assert.Single(await broker.DrainAsync(observer)).MessageId);
        Assert.NotNull((await app.MongoOutbox.FindAsync(e.Id, CancellationToken.None))!.SentAt);
    }

    [SkippableFact]
    public async Task One_unroutable_event_in_a_batch_backs_off_alone_while_the_rest_of_the_batch_is_marked_sent()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var app = await MessagingApp.CreateAsync(environment);
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var observer = await broker.BindObserverAsync("order.#");
        var routable = Enumerable.Range(0, 10).Select(i => OrderCreated(total: i)).ToList();
        var unroutable = IntegrationEvent.Create("nobody-" + Guid.NewGuid().ToString("N"), "audit.recorded", new { total = 1 }, DateTime.UtcNow);
        foreach (var e in routable.Take(5).Append(unroutable).Concat(routable.Skip(5)))
        {
            await app.Outbox.AddAsync(e, CancellationToken.None);
        }

        var published = await app.Relay.RelayPendingAsync(CancellationToken.None);

        Assert.Equal(10, published);
        Assert.Equal(routable.Select(e => e.Id).Order(), (await broker.DrainAsync(observer)).Select(m => m.MessageId).Order());
        foreach (var e in routable)
        {
            Assert.NotNull((await app.MongoOutbox.FindAsync(e.Id, CancellationToken.None))!.SentAt);
        }

        var failed = (await app.MongoOutbox.FindAsync(unroutable.Id, CancellationToken.None))!;
        Assert.Null(failed.SentAt);
        Assert.Equal(1, failed.Attempts);
        Assert.Null(failed.LockToken);
        Assert.StartsWith("unroutable", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(1, (await app.Relay.GetBacklogAsync(CancellationToken.None)).Count);
    }

    [SkippableFact]
    public async Task Two_relays_on_one_outbox_publish_each_event_once()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var first = await MessagingApp.CreateAsync(environment);
        await using var second = await MessagingApp.CreateAsync(environment);
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var observer = await broker.BindObserverAsync();
        var events = Enumerable.Range(0, 40).Select(i => OrderCreated(total: i)).ToList();
        foreach (var e in events)
        {
            await first.Outbox.AddAsync(e, CancellationToken.None);
        }

        var counts = await Task.WhenAll(
            first.Relay.RelayPendingAsync(CancellationToken.None),
            second.Relay.RelayPendingAsync(CancellationToken.None));

        Assert.Equal(40, counts.Sum());
        var messages = await broker.DrainAsync(observer);
        Assert.Equal(events.Select(e => e.Id).Order(), messages.Select(m => m.MessageId).Order());
    }

    [SkippableFact]
    public async Task Backlog_counts_unsent_events_and_ages_the_oldest()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = await MessagingApp.CreateAsync(environment, services => services.AddSingleton<TimeProvider>(clock));
        await app.Outbox.AddAsync(OrderCreated(), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        await app.Outbox.AddAsync(OrderCreated(), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(3));

        var backlog = await app.Relay.GetBacklogAsync(CancellationToken.None);

        Assert.Equal(2, backlog.Count);
        Assert.Equal(TimeSpan.FromMinutes(5), backlog.OldestAge);
    }
}
