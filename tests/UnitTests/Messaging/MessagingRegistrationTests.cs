using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Shared.Messaging;

namespace Shop.UnitTests.Messaging;

public sealed class MessagingRegistrationTests
{
    private sealed class NotificationHandler : IEventHandler
    {
        public Task HandleAsync(ReceivedEvent e, CancellationToken ct) => Task.CompletedTask;
    }

    private static ServiceProvider Build(Action<IServiceCollection> register, Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        services.AddLogging();
        register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void Registering_twice_gives_one_relay_one_outbox_and_one_rabbitmq_check()
    {
        using var provider = Build(services => services.AddShopMessaging().AddShopMessaging());

        Assert.Single(provider.GetServices<IHostedService>().OfType<OutboxRelay>());
        Assert.Single(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "rabbitmq");
        Assert.IsType<MongoOutbox>(provider.GetRequiredService<IOutbox>());
    }

    [Fact]
    public void Options_bind_from_the_RabbitMq_and_Outbox_sections_with_defaults()
    {
        using var provider = Build(services => services.AddShopMessaging(), new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = "amqp://shop:secret@rabbit:5672/shop",
            ["RabbitMq:ClientName"] = "order-functions",
            ["Outbox:PollInterval"] = "00:00:00.250",
        });

        var rabbit = provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
        var outbox = provider.GetRequiredService<IOptions<OutboxOptions>>().Value;

        Assert.Equal("amqp://shop:secret@rabbit:5672/shop", rabbit.Uri);
        Assert.Equal("order-functions", rabbit.ClientName);
        Assert.Equal("shop.events", rabbit.Exchange);
        Assert.Equal("shop.events.dlx", rabbit.DeadLetterExchange);
        Assert.Equal(TimeSpan.FromMilliseconds(250), outbox.PollInterval);
        Assert.Equal(100, outbox.BatchSize);
    }

    [Theory]
    [InlineData("Outbox:BatchSize", "0")]
    [InlineData("Outbox:BatchSize", "1001")]
    [InlineData("Outbox:PollInterval", "00:00:00")]
    [InlineData("Outbox:LeaseDuration", "-00:00:01")]
    public void Outbox_settings_out_of_range_are_refused_with_the_setting_named(string key, string value)
    {
        using var provider = Build(services => services.AddShopMessaging(), new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OutboxOptions>>().Value);
        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_is_a_hosted_service_with_its_queue_bindings_and_defaults()
    {
        using var provider = Build(services =>
        {
            services.AddEventConsumer<NotificationHandler>(queue: "orders.notifications", bindings: ["order.*"]);
            services.AddEventConsumer<NotificationHandler>(queue: "orders.notifications", bindings: ["order.*"]);
        });

        var consumer = Assert.Single(provider.GetServices<IHostedService>().OfType<EventConsumer<NotificationHandler>>());
        var options = provider.GetRequiredService<IOptionsMonitor<EventConsumerOptions>>().Get(EventConsumerOptions.NameFor(typeof(NotificationHandler)));
        Assert.Equal("orders.notifications", consumer.Queue);
        Assert.Equal(["order.*"], options.Bindings);
        Assert.Equal(16, options.Prefetch);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal("orders.notifications.dead", RabbitMqOptions.DeadLetterQueue(consumer.Queue));
    }
}
