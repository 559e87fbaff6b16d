using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Driver;

namespace Shop.Shared.Mongo;

public static class MongoRegistration
{
    private static int s_conventionsRegistered;

    /// <summary>One MongoClient per process (it pools connections) and the app's database.</summary>
    public static IServiceCollection AddShopMongo(this IServiceCollection services)
    {
        RegisterConventions();
        services.AddOptions<MongoOptions>().BindConfiguration(MongoOptions.Section);
        services.AddSingleton<IMongoClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MongoOptions>>().Value;
            var settings = MongoClientSettings.FromConnectionString(options.ConnectionString);
            settings.ServerSelectionTimeout = options.ServerSelectionTimeout;
            settings.ConnectTimeout = options.ServerSelectionTimeout;
            settings.SocketTimeout = options.SocketTimeout;
            settings.ServerMonitoringMode = options.ServerMonitoringMode;
            settings.RetryWrites = false;
            settings.MaxConnectionPoolSize = options.MaxConnectionPoolSize;
#pragma warning disable CS0618 // Still honoured by driver 3.x; its default (500) turns a burst into errors instead of a short wait.
            settings.WaitQueueSize = options.WaitQueueSize;
#pragma warning restore CS0618
            foreach (var configure in sp.GetServices<IConfigureMongoClient>())
            {
                configure.Configure(settings);
            }

            return new MongoClient(settings);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MongoIndexInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<MongoIndexInitializer>());
        services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>()
            .GetDatabase(sp.GetRequiredService<IOptions<MongoOptions>>().Value.Database));
        return services;
    }

    /// <summary>Camel-case fields, enums as strings, unknown fields ignored (documents outlive code versions).</summary>
    public static void RegisterConventions()
    {
        if (Interlocked.Exchange(ref s_conventionsRegistered, 1) == 1)
        {
            return;
        }

        ConventionRegistry.Register("shop", new ConventionPack
        {
            new CamelCaseElementNameConvention(),
            new EnumRepresentationConvention(BsonType.String),
            new IgnoreExtraElementsConvention(true),
        }, _ => true);
    }
}
