using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;

namespace Shop.Testing.Messaging;

/// <summary>
/// One app instance's messaging, as AddShopMessaging wires it, against the real servers. Hosted services (the relay's
/// poll loop, consumers) run only after <see cref="StartAsync"/>; tests that drive the relay by hand do not start them.
/// </summary>
public sealed class MessagingApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private List<IHostedService> _started = [];
    private bool _disposed;

    private MessagingApp(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public IOutbox Outbox => Get<IOutbox>();

    public MongoOutbox MongoOutbox => Get<MongoOutbox>();

    public OutboxRelay Relay => Get<OutboxRelay>();

    public IMongoCollection<T> Collection<T>(string name) => Get<IMongoDatabase>().GetCollection<T>(name);

    public static async Task<MessagingApp> CreateAsync(
        MessagingEnvironment environment,
        Action<IServiceCollection>? addServices = null,
        IDictionary<string, string?>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = environment.Servers.MongoUri,
            ["Mongo:Database"] = environment.Database,
            ["RabbitMq:Uri"] = environment.Servers.RabbitMqUri,
            ["RabbitMq:Exchange"] = environment.Exchange,
            ["RabbitMq:ClientName"] = "shop-tests-" + environment.Id,
            ["RabbitMq:NetworkRecoveryInterval"] = "00:00:01",
            ["Outbox:PollInterval"] = "00:00:00.100",
            ["Outbox:RetryBaseDelay"] = "00:00:00.050",
            ["Outbox:RetryMaxDelay"] = "00:00:00.500",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        addServices?.Invoke(services);
        services.AddShopMongo();
        services.AddShopMessaging();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<MongoIndexInitializer>().EnsureAllAsync(CancellationToken.None);
        return new MessagingApp(provider);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Starts the relay loop and the consumers (index creation already ran in <see cref="CreateAsync"/>).</summary>
    public async Task StartAsync()
    {
        _started = [.. _services.GetServices<IHostedService>().Where(s => s is not MongoIndexInitializer)];
        foreach (var service in _started)
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var service in Enumerable.Reverse(_started))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await service.StopAsync(timeout.Token);
        }

        await _services.DisposeAsync();
    }
}
