using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Shared.Health;
using Shop.Shared.Http;
using Shop.Shared.Mongo;
using Shop.Shared.Observability;
using Shop.Shared.RateLimiting;
using Shop.Shared.Redis;
using Shop.Shared.Security;

namespace Shop.Shared.Hosting;

/// <summary>
/// What every Shop app has: the middleware pipeline (metrics, correlation, problems, rate limits, request deadlines),
/// the /metrics listener, MongoDB, Redis, token validation and health.
/// </summary>
public static class ShopDefaults
{
    /// <summary>The worker middleware, outermost first; the in-process test host composes exactly this list.</summary>
    /// <remarks>
    /// Metrics outermost, so every answer is measured (429s and timeouts included); rate limiting inside
    /// ProblemMiddleware, which writes its 429; the request deadline innermost, around the function alone.
    /// </remarks>
    public static readonly IReadOnlyList<Type> Middleware =
    [
        typeof(HttpMetricsMiddleware),
        typeof(CorrelationMiddleware),
        typeof(ProblemMiddleware),
        typeof(RateLimitMiddleware),
        typeof(RequestTimeoutMiddleware),
    ];

    public static FunctionsApplicationBuilder AddShopDefaults(this FunctionsApplicationBuilder builder)
    {
        builder.UseMiddleware<HttpMetricsMiddleware>();
        builder.UseMiddleware<CorrelationMiddleware>();
        builder.UseMiddleware<ProblemMiddleware>();
        builder.UseMiddleware<RateLimitMiddleware>();
        builder.UseMiddleware<RequestTimeoutMiddleware>();
        builder.Services.AddShopServices(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddShopServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HttpMetricsMiddleware>();
        services.AddSingleton<CorrelationMiddleware>();
        services.AddSingleton<ProblemMiddleware>();
        services.AddSingleton<RateLimitMiddleware>();
        services.AddSingleton<RequestTimeoutMiddleware>();
        services.AddShopMetricsServer();
        services.AddShopClientAddress(configuration);
        services.AddOptions<RequestTimeoutOptions>().Bind(configuration.GetSection(RequestTimeoutOptions.Section));
        services.AddShopRateLimiting(configuration);
        services.AddShopMongo();
        services.AddShopRedis();
        services.AddShopTokenValidation(configuration);
        services.AddOptions<InternalApiOptions>().Bind(configuration.GetSection(InternalApiOptions.Section));
        services.AddShopHealthChecks();
        return services;
    }

    /// <summary>Section <c>ClientAddress</c>: the trusted proxies; a mistake in it stops the app at start.</summary>
    public static IServiceCollection AddShopClientAddress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClientAddressOptions>().Bind(configuration.GetSection(ClientAddressOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientAddressOptions>, ClientAddressOptionsValidator>());
        services.TryAddSingleton<ClientAddressResolver>();
        return services;
    }

    /// <summary>
    /// Section <c>RateLimiting</c>: the policies, Redis-backed limiter and its in-memory fallback. The policies the app
    /// declares (<see cref="DeclaredRateLimits"/>) go in before configuration binds, which then replaces their values
    /// key by key.
    /// </summary>
    public static IServiceCollection AddShopRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>()
            .Configure<IEnumerable<DeclaredRateLimits>>((options, declared) => declared.SingleOrDefault()?.ApplyDefaultsTo(options))
            .Bind(configuration.GetSection(RateLimitingOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>());
        services.TryAddSingleton<RateLimitPolicies>();
        services.TryAddSingleton<DistributedRateLimiter>();
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
