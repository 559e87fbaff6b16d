using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Orders.Documents;
using Shop.Orders.Notifications;
using Shop.Orders.Workflow;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;

namespace Shop.UnitTests.Orders;

public sealed class NotificationsRoleTests
{
    [Theory]
    [InlineData(new[] { "--role=notifications" }, null, true)]
    [InlineData(new[] { "--role", "notifications" }, null, true)]
    [InlineData(new string[0], "notifications", true)]
    [InlineData(new string[0], "NOTIFICATIONS", true)]
    [InlineData(new[] { "--role=http" }, "notifications", false)]
    [InlineData(new[] { "--host", "127.0.0.1", "--port", "7071" }, null, false)]
    [InlineData(new string[0], "", false)]
    public void The_notifications_role_is_chosen_by_argument_or_ORDERS_ROLE(string[] args, string? environment, bool selected) =>
        Assert.Equal(selected, NotificationsRole.IsSelected(args, name => name == NotificationsRole.EnvironmentVariable ? environment : null));

    [Theory]
    [InlineData(OrderStatus.Pending, "order.created")]
    [InlineData(OrderStatus.StockReserved, null)]
    [InlineData(OrderStatus.Paid, "order.paid")]
    [InlineData(OrderStatus.Confirmed, "order.confirmed")]
    [InlineData(OrderStatus.Shipped, "order.shipped")]
    [InlineData(OrderStatus.Delivered, null)]
    [InlineData(OrderStatus.Completed, "order.completed")]
    [InlineData(OrderStatus.Cancelled, "order.cancelled")]
    [InlineData(OrderStatus.Rejected, "order.failed")]
    [InlineData(OrderStatus.PaymentFailed, "order.failed")]
    public void Each_published_status_has_its_event_type(OrderStatus status, string? type)
    {
        Assert.Equal(type, OrderIntegrationEvents.TypeFor(status));
        if (type is not null)
        {
            Assert.NotNull(OrderNotificationHandler.MessageFor(type));
        }
    }

    [Fact]
    public async Task The_notifications_role_runs_the_consumer_index_creation_and_metrics_listener_and_nothing_else()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddNotificationsRole();
        await using var provider = services.BuildServiceProvider();

        var hosted = provider.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.Equal(
            new[] { typeof(MongoIndexInitializer), typeof(EventConsumer<OrderNotificationHandler>), typeof(Shop.Shared.Observability.MetricsServer) }.Select(t => t.FullName).Order(StringComparer.Ordinal),
            hosted.Select(t => t.FullName).Order(StringComparer.Ordinal));
    }
}
