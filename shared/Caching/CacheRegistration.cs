using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Shared.Redis;
using StackExchange.Redis;

namespace Shop.Shared.Caching;

public static class CacheRegistration
{
    /// <summary>
    /// HybridCache: in-memory first level with one fill per key at a time (no stampede), Redis second level shared by
    /// all instances through the process's one multiplexer, wrapped so a Redis outage is a cache miss, not an error.
    /// </summary>
    public static IServiceCollection AddShopCache(this IServiceCollection services)
    {
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section);
        services.AddSingleton<IDistributedCache>(sp =>
        {
            var redis = sp.GetRequiredService<IConnectionMultiplexer>();
            var prefix = sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix;
            var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = () => Task.FromResult(redis),
                InstanceName = prefix + "cache:",
            }));
            return new FailSafeDistributedCache(redisCache, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FailSafeDistributedCache>>());
        });

        services.AddHybridCache();
        services.AddOptions<HybridCacheOptions>().Configure<IOptions<CacheOptions>>((hybrid, cache) =>
        {
            hybrid.MaximumPayloadBytes = cache.Value.MaximumPayloadBytes;
            hybrid.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = cache.Value.Expiration,
                LocalCacheExpiration = cache.Value.LocalExpiration,
            };
        });
        return services;
    }

    /// <summary>Cached values of type <typeparamref name="T"/> are (de)serialized with source-generated metadata.</summary>
    public static IServiceCollection AddCacheSerializer<T>(this IServiceCollection services, JsonTypeInfo<T> typeInfo)
    {
        services.AddHybridCache().AddSerializer(new JsonTypeInfoCacheSerializer<T>(typeInfo));
        return services;
    }
}
