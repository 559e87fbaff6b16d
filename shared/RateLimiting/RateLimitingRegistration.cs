using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Shared.RateLimiting;

public static class RateLimitingRegistration
{
    /// <summary>
    /// What the app declares: the policies it defines ([RateLimitDefaults]) and those of its functions ([RateLimit]),
    /// with the shared functions' (health).
    /// </summary>
    public static IServiceCollection AddDeclaredRateLimits(this IServiceCollection services, Assembly app)
    {
        services.TryAddSingleton(DeclaredRateLimits.In(app));
        return services;
    }
}
