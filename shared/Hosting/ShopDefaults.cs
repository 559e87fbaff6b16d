using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Shared.Health;
using Shop.Shared.Http;
using Shop.Shared.Mongo;
using Shop.Shared.Redis;
using Shop.Shared.Security;

namespace Shop.Shared.Hosting;

/// <summary>What every Shop app has: the middleware pipeline, MongoDB, Redis, token validation and health.</summary>
public static class ShopDefaults
{
    /// <summary>The worker middleware, outermost first; the in-process test host composes exactly this list.</summary>
    public static readonly IReadOnlyList<Type> Middleware = [typeof(CorrelationMiddleware), typeof(ProblemMiddleware)];

    public static FunctionsApplicationBuilder AddShopDefaults(this FunctionsApplicationBuilder builder)
    {
        builder.UseMiddleware<CorrelationMiddleware>();
        builder.UseMiddleware<ProblemMiddleware>();
        builder.Services.AddShopServices(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddShopServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CorrelationMiddleware>();
        services.AddSingleton<ProblemMiddleware>();
        services.AddShopMongo();
        services.AddShopRedis();
        services.AddShopTokenValidation(configuration);
        services.AddOptions<InternalApiOptions>().Bind(configuration.GetSection(InternalApiOptions.Section));
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<IDependencyCheck, MongoCheck>();
        services.AddSingleton<IDependencyCheck, RedisCheck>();
        return services;
    }

    /// <summary>
    /// Access-token validation for every app. Keys come from configuration when given (Auth:PublicKeys), otherwise
    /// from the JWKS of AuthFunctions (Auth:JwksUrl). AuthFunctions replaces the source with its own key ring.
    /// </summary>
    public static IServiceCollection AddShopTokenValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessTokenOptions>().Bind(configuration.GetSection(AccessTokenOptions.Section));
        services.AddHttpClient(JwksSigningKeys.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(5));
        services.TryAddSingleton<JwksSigningKeys>();
        services.TryAddSingleton<ConfiguredSigningKeys>();
        services.TryAddSingleton<ISigningKeySource>(sp =>
        {
            var configured = sp.GetRequiredService<ConfiguredSigningKeys>();
            var options = sp.GetRequiredService<IOptions<AccessTokenOptions>>().Value;
            return configured.IsEmpty && options.JwksUrl is not null
                ? sp.GetRequiredService<JwksSigningKeys>()
                : configured;
        });
        services.AddSingleton<AccessTokenValidator>();
        return services;
    }
}
