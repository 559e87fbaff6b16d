using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Messaging;
using Shop.Orders.Documents;
using Shop.Orders.Notifications;
using Shop.Orders.Workflow;
using Shop.Shared.Http;
using Shop.Shared.Json;
using Shop.Shared.Messaging;

namespace Shop.IntegrationTests.Orders;

/// <summary>The order-notification consumer: idempotent by event id, and fed end to end by the order's outbox.</summary>
public sealed class NotificationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Handling_one_event_twice_records_one_notification()
    {
        await using var app = await OrderTestApp.StartAsync(extraSettings: null, overrides: services => services.AddOrderNotifications());
        var store = app.Host.Get<NotificationStore>();
        var handler = new OrderNotificationHandler(store, TimeProvider.System, NullLogger<OrderNotificationHandler>.Instance);
        var orderId = Ids.New();
        var data = JsonSerializer.SerializeToElement(OrderIntegrationEvents.DataFor(orderId, "user-1", OrderStatus.Paid, 4200, "EUR", null), ShopJson.Options);
        var received = new ReceivedEvent(orderId + ":order.paid", "order.paid", data, DateTime.UtcNow, Attempt: 1, Redelivered: false);

        await handler.HandleAsync(received, CancellationToken.None);
        await handler.HandleAsync(received with { Attempt = 2, Redelivered = true }, CancellationToken.None);
        var notifications = await store.ForOrderAsync(orderId, CancellationToken.None);

        var notification = Assert.Single(notifications);
        Assert.Equal(("user-1", "order.paid", "Your payment was accepted."), (notification.UserId, notification.EventType, notification.Message));
    }

    [SkippableFact]
    public async Task An_orders_events_travel_from_its_outbox_through_RabbitMQ_to_one_notification_each()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var orders = await OrderTestApp.StartAsync(
            Fakes.Stock(new CallJournal(), rejectWith: "insufficient-stock").Object,
            extraSettings: new Dictionary<string, string?> { ["Mongo:Database"] = environment.Database });
        await using var notificationsRole = await MessagingApp.CreateAsync(
            environment, services => services.AddOrderNotifications(environment.Queue("notifications")));
        await notificationsRole.StartAsync();
        var store = notificationsRole.Get<NotificationStore>();

        var orderId = await orders.PlaceOrderAsync(TestTokens.Customer("customer-1"), Ids.New());
        await orders.WaitForCompletionAsync(orderId);

        await Eventually.TrueAsync(
            async () => (await store.ForOrderAsync(orderId, CancellationToken.None)).Count == 2, Timeout, "both order events became notifications");
        var notifications = await store.ForOrderAsync(orderId, CancellationToken.None);
        Assert.Equal(["order.created", "order.failed"], notifications.Select(n => n.EventType).Order(StringComparer.Ordinal));
        Assert.All(notifications, n => Assert.Equal("customer-1", n.UserId));
        Assert.Contains(notifications, n => n.Message == "Your order could not be completed. (insufficient-stock)");
    }
}
