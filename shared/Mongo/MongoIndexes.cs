using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace Shop.Shared.Mongo;

/// <summary>A store that owns indexes on its collection.</summary>
public interface IHasIndexes
{
    Task EnsureIndexesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Creates every store's indexes at start, retrying with back-off: a database that is not up yet only delays this,
/// it never stops the app.
/// </summary>
public sealed class MongoIndexInitializer(IEnumerable<IHasIndexes> stores, ILogger<MongoIndexInitializer> logger) : BackgroundService
{
    public async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        foreach (var store in stores)
        {
            await store.EnsureIndexesAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await EnsureAllAsync(stoppingToken);
                return;
            }
            catch (Exception exception) when (exception is MongoException or TimeoutException)
            {
                logger.LogWarning("Creating indexes failed (attempt {Attempt}): {Error}", attempt, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }
}

public static class MongoIndexRegistration
{
    /// <summary>Registers a store as a singleton whose indexes are created at start.</summary>
    public static IServiceCollection AddMongoStore<TStore>(this IServiceCollection services)
        where TStore : class, IHasIndexes
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<IHasIndexes>(sp => sp.GetRequiredService<TStore>());
        return services;
    }
}
