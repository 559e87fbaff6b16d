using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Shared.Health;

public static class HealthRegistration
{
    /// <summary>Checks that decide readiness (GET /api/health); liveness runs none.</summary>
    public const string ReadinessTag = "ready";

    /// <summary>What runs the declared checks for GET /api/health, and the checks every app needs: MongoDB and Redis.</summary>
    public static IServiceCollection AddShopHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.TryAddSingleton<HealthProbe>();
        return services
            .AddReadinessCheck<MongoCheck>("mongodb")
            .AddReadinessCheck<RedisCheck>("redis");
    }

    /// <summary>
    /// Declares a dependency that must answer within <see cref="HealthProbe.Deadline"/>; declaring a name twice keeps one.
    /// Only declares: a host without HTTP (the notifications role) gets no health service, hosted or otherwise.
    /// </summary>
    public static IServiceCollection AddReadinessCheck<TCheck>(this IServiceCollection services, string name)
        where TCheck : class, IHealthCheck
    {
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
