using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using Shop.Shared.Health;
using Shop.Shared.Mongo;
using Shop.Shared.Observability;

namespace Shop.Shared.Messaging;

public static class MessagingRegistration
{
    /// <summary>
    /// The outbox (<see cref="IOutbox"/>, stored in MongoDB), its relay to RabbitMQ, the shared connection and the
    /// <c>rabbitmq</c> health check. Configuration: sections <c>RabbitMq</c> and <c>Outbox</c>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddShopMessaging(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RabbitMqConnection)))
        {
            return services;
        }

        if (!services.Any(d => d.ServiceType == typeof(IMongoDatabase)))
        {
            services.AddShopMongo();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddShopMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRefreshOnScrape, OutboxBacklogMetrics>());
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section);
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .Validate(o => o.BatchSize is >= 1 and <= OutboxOptions.MaxBatchSize, $"Outbox:BatchSize must be from 1 to {OutboxOptions.MaxBatchSize}.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.LeaseDuration > TimeSpan.Zero, "Outbox:PollInterval and Outbox:LeaseDuration must be positive.")
            .ValidateOnStart();
        services.AddSingleton<RabbitMqConnection>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<MongoOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<MongoOutbox>());
        services.AddSingleton<IHasIndexes>(sp => sp.GetRequiredService<MongoOutbox>());
        services.AddSingleton<ProcessedEvents>();
        services.AddSingleton<IHasIndexes>(sp => sp.GetRequiredService<ProcessedEvents>());
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddReadinessCheck<RabbitMqCheck>("rabbitmq");
        return services;
    }

    /// <summary>
    /// A hosted consumer of <paramref name="queue"/> (durable, bound to <paramref name="bindings"/> on the events exchange,
    /// dead-lettering into <c>&lt;queue&gt;.dead</c>) that hands each event to <typeparamref name="THandler"/>.
    /// One queue per handler type; the handler is resolved in a new scope for every message.
    /// </summary>
    /// <example><c>services.AddEventConsumer&lt;OrderNotificationHandler&gt;(queue: "orders.notifications", bindings: ["order.*"]);</c></example>
    public static IServiceCollection AddEventConsumer<THandler>(
        this IServiceCollection services,
        string queue,
        IReadOnlyList<string> bindings,
        Action<EventConsumerOptions>? configure = null)
        where THandler : class, IEventHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        services.AddShopMessaging();
        services.TryAddScoped<THandler>();
        services.AddOptions<EventConsumerOptions>(EventConsumerOptions.NameFor(typeof(THandler))).Configure(options =>
        {
            options.Queue = queue;
            options.Bindings = [.. bindings];
            configure?.Invoke(options);
        });
        services.TryAddSingleton<EventConsumer<THandler>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EventConsumer<THandler>>(sp => sp.GetRequiredService<EventConsumer<THandler>>()));
        return services;
    }
}
