using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Shop.Shared.Hosting;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;
using Shop.Shared.Observability;

namespace Shop.Orders.Notifications;

/// <summary>
/// The order-notification consumer as its own deployable role: the same image started with <c>--role=notifications</c>
/// (or <c>ORDERS_ROLE=notifications</c>) runs a plain generic host with only this consumer and no Functions host, so
/// Kubernetes runs it as a separate Deployment that KEDA scales on the queue's depth.
/// </summary>
public static class NotificationsRole
{
    public const string EnvironmentVariable = "ORDERS_ROLE";
    public const string Name = "notifications";
    public const string Queue = "orders.notifications";

    public static readonly IReadOnlyList<string> Bindings = ["order.*"];

    public static bool IsSelected(string[] args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var fromArgs = args
            .Select((arg, i) => arg.StartsWith("--role=", StringComparison.Ordinal) ? arg["--role=".Length..]
                : arg == "--role" && i + 1 < args.Length ? args[i + 1] : null)
            .LastOrDefault(role => role is not null);
        return string.Equals(fromArgs ?? environment(EnvironmentVariable), Name, StringComparison.OrdinalIgnoreCase);
    }

    public static async Task RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder([.. args.Where(a => !a.StartsWith("--role", StringComparison.Ordinal) && a != Name)]);
        builder.Configuration.TreatEmptyAsUnset();
        builder.Services.AddNotificationsRole();
        builder.Services.AddShopTracing(builder.Configuration, functionsWorker: false);
        if (string.Equals(Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER"), "true", StringComparison.OrdinalIgnoreCase)
            && builder.Configuration["Logging:Console:FormatterName"] is null)
        {
            // One JSON object a line for the cluster's log collector; the scope carries the correlation id.
            builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        }
        await builder.Build().RunAsync();
    }

    /// <summary>The consumer and its store; configuration sections <c>Mongo</c> and <c>RabbitMq</c>.</summary>
    public static IServiceCollection AddOrderNotifications(this IServiceCollection services, string queue = Queue)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (!services.Any(d => d.ServiceType == typeof(IMongoDatabase)))
        {
            services.AddShopMongo();
        }

        services.AddMongoStore<NotificationStore>();
        services.AddEventConsumer<OrderNotificationHandler>(queue, Bindings);
        return services;
    }

    /// <summary>
    /// The consumer role's services. The messaging stack that AddEventConsumer brings also runs the outbox relay; the
    /// HTTP role relays the orders' outbox already, and a pod that KEDA scales on queue depth should only consume.
    /// </summary>
    public static IServiceCollection AddNotificationsRole(this IServiceCollection services)
    {
        services.SetMetricsApp("orders-notifications");
        services.AddShopMetricsServer();
        services.AddOrderNotifications();
        foreach (var relay in services.Where(d => d.ServiceType == typeof(IHostedService) && HostedType(d) == typeof(OutboxRelay)).ToList())
        {
            services.Remove(relay);
        }

        return services;
    }

    private static Type? HostedType(ServiceDescriptor descriptor) =>
        descriptor.ImplementationType
        ?? descriptor.ImplementationInstance?.GetType()
        ?? descriptor.ImplementationFactory?.GetType().GenericTypeArguments[^1];
}
