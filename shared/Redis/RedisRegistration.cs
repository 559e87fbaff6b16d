using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Shared.Redis;

public static class RedisRegistration
{
    /// <summary>
    /// One multiplexer per process. It connects in the background and reconnects by itself, so a Redis outage at start
    /// or later never stops the app; while disconnected, commands fail at once (no backlog) and callers decide what to do.
    /// </summary>
    public static IServiceCollection AddShopRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            var configuration = ConfigurationOptions.Parse(options.Configuration);
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = 2000;
            configuration.SyncTimeout = 2000;
            configuration.AsyncTimeout = 2000;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            return ConnectionMultiplexer.Connect(configuration);
        });
        return services;
    }

    public static RedisKey Key(this RedisOptions options, string key) => options.KeyPrefix + key;
}
