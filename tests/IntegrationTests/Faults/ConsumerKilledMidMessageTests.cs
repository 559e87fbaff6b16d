using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Messaging;
using Shop.Orders.Documents;
using Shop.Orders.Notifications;
using Shop.Shared.Http;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// The real order-notification handler, held after it stored its notification and before the message is acknowledged:
/// the worst moment to die, since the effect is applied but RabbitMQ does not know it.
/// </summary>
public sealed class HeldAfterEffectHandler(OrderNotificationHandler inner, HandlerCalls calls, HandlerGate gate) : IEventHandler
{
    public async Task HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        await inner.HandleAsync(e, ct);
        calls.Add(e);
        gate.Started.TrySetResult();
        await gate.Open.Task.WaitAsync(ct);
    }
}

[Collection(DependencyOutageCollection.Name)]
public sealed class ConsumerKilledMidMessageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_notification_consumer_killed_mid_message_is_replaced_and_every_event_is_applied_exactly_once()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("notifications");
        await using var orders = await OrderTestApp.StartAsync(
            Fakes.Stock(new CallJournal()).Object,
            extraSettings: new Dictionary<string, string?> { ["Mongo:Database"] = environment.Database });

        var held = new HandlerCalls();
        var gate = new HandlerGate();
        var first = await MessagingApp.CreateAsync(environment, services =>
        {
            services.AddSingleton(held);
            services.AddSingleton(gate);
            services.AddSingleton(TimeProvider.System);
            services.AddMongoStore<NotificationStore>();
            services.AddSingleton<OrderNotificationHandler>();
            services.AddEventConsumer<HeldAfterEffectHandler>(queue, NotificationsRole.Bindings);
        });
        await first.StartAsync();
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the first consumer subscribed");

        var orderIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            orderIds.Add(await orders.PlaceOrderAsync(TestTokens.Customer("customer-" + i), Ids.New()));
        }

        await gate.Started.Task.WaitAsync(Timeout);
        var killedOn = Assert.Single(held.All);
        await first.DisposeAsync();
        Assert.False(gate.Open.Task.IsCompleted, "the handler never finished: the consumer died mid-message");

        await using var second = await MessagingApp.CreateAsync(environment, services => services.AddOrderNotifications(queue));
        await second.StartAsync();
        var store = second.Get<NotificationStore>();
        foreach (var id in orderIds)
        {
            await orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Timeout);
        }

        var expected = new List<string>();
        foreach (var id in orderIds)
        {
            expected.AddRange((await orders.OutboxEventTypesAsync(id)).Select(type => $"{id}:{type}"));
        }

        await Eventually.TrueAsync(async () =>
        {
            var count = 0;
            foreach (var id in orderIds)
            {
                count += (await store.ForOrderAsync(id, CancellationToken.None)).Count;
            }

            return count >= expected.Count;
        }, Timeout, "every order event became a notification");
        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(queue) == 0, Timeout, "the queue drained");

        var notifications = new List<Notification>();
        foreach (var id in orderIds)
        {
            notifications.AddRange(await store.ForOrderAsync(id, CancellationToken.None));
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), notifications.Select(n => n.EventId).Order(StringComparer.Ordinal));
        Assert.Single(notifications, n => n.EventId == killedOn.Id);
        Assert.Equal(0u, await broker.ReadyCountAsync(RabbitMqOptions.DeadLetterQueue(queue)));
    }
}
