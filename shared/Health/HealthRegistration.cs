using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Shared.Health;

public static class HealthRegistration
{
    /// <summary>Checks that decide readiness (GET /api/health); liveness runs none.</summary>
    public const string ReadinessTag = "ready";

    /// <summary>The readiness probe and the checks every app needs: MongoDB and Redis.</summary>
    public static IServiceCollection AddShopHealthChecks(this IServiceCollection services)
    {
        services.TryAddSingleton<HealthProbe>();
        return services
            .AddReadinessCheck<MongoCheck>("mongodb")
            .AddReadinessCheck<RedisCheck>("redis");
    }

    /// <summary>A dependency that must answer within <see cref="HealthProbe.Deadline"/>; adding a name twice keeps one.</summary>
    public static IServiceCollection AddReadinessCheck<TCheck>(this IServiceCollection services, string name)
        where TCheck : class, IHealthCheck
    {
        services.AddHealthChecks();
        services.TryAddSingleton<TCheck>();
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.All(r => r.Name != name))
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    name, sp => sp.GetRequiredService<TCheck>(), HealthStatus.Unhealthy, [ReadinessTag], HealthProbe.Deadline));
            }
        });
        return services;
    }
}
