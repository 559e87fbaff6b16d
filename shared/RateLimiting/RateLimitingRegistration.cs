using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Shared.RateLimiting;

public static class RateLimitingRegistration
{
    /// <summary>The policies the app's functions declare with [RateLimit] (and the shared functions': health).</summary>
    public static IServiceCollection AddDeclaredRateLimits(this IServiceCollection services, Assembly app)
    {
        services.TryAddSingleton(DeclaredRateLimits.In(app));
        return services;
    }
}
