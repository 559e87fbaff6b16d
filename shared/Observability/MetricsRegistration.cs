using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Shop.Shared.Observability;

/// <summary>Something whose gauges are read when Prometheus scrapes (the outbox backlog), not on every change.</summary>
public interface IRefreshOnScrape
{
    /// <summary>Updates the gauges; on failure keeps the last values (a failed read must not fail the scrape).</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}

public static class MetricsRegistration
{
    /// <summary>
    /// The app's <see cref="CollectorRegistry"/> (static label <c>app</c>, process and GC basics) and
    /// <see cref="ShopMetrics"/>. A registry per service provider instead of prometheus-net's static default, so that
    /// several apps in one test process count separately. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddShopMetrics(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ShopMetrics)))
        {
            return services;
        }

        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section);
        services.AddSingleton(CreateRegistry);
        services.AddSingleton<ShopMetrics>();
        return services;
    }

    /// <summary>Names the app in the <c>app</c> label (auth, products, orders) unless <c>Metrics:App</c> says otherwise.</summary>
    public static IServiceCollection SetMetricsApp(this IServiceCollection services, string app)
    {
        services.AddShopMetrics();
        services.PostConfigure<MetricsOptions>(options => options.App ??= app);
        return services;
    }

    /// <summary>The /metrics listener on <c>Metrics:Port</c> (default 9464; 0 turns it off), as a hosted service.</summary>
    public static IServiceCollection AddShopMetricsServer(this IServiceCollection services)
    {
        services.AddShopMetrics();
        if (!services.Any(d => d.ImplementationType == typeof(MetricsServer)))
        {
            services.AddHostedService<MetricsServer>();
        }

        return services;
    }

    private static CollectorRegistry CreateRegistry(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var registry = Metrics.NewCustomRegistry();
        registry.SetStaticLabels(new Dictionary<string, string> { ["app"] = options.App ?? DefaultApp() });
        DotNetStats.Register(registry);
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            // Resolved at scrape time: the sources depend on ShopMetrics, which depends on this registry.
            foreach (var source in services.GetServices<IRefreshOnScrape>())
            {
                try
                {
                    await source.RefreshAsync(cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    services.GetRequiredService<ILogger<ShopMetrics>>()
                        .LogWarning("Refreshing {Source} for a scrape failed: {Error}", source.GetType().Name, exception.GetType().Name);
                }
            }
        });
        return registry;
    }

    private static string DefaultApp() =>
        (Assembly.GetEntryAssembly()?.GetName().Name ?? "shop").ToLowerInvariant();
}
