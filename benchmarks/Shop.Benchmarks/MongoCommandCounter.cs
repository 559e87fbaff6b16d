using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace Shop.Benchmarks;

/// <summary>
/// The commands an app sends to MongoDB while counting, from the driver's command events on a client of the app's own
/// (its registered client's settings plus this subscription), so the count does not depend on how the app's code
/// issues them. Connection upkeep (handshakes, authentication, monitoring) is not an operation of the app.
/// </summary>
internal sealed class MongoCommandCounter
{
    private static readonly HashSet<string> s_connectionUpkeep = new(StringComparer.OrdinalIgnoreCase)
    {
        "hello", "isMaster", "saslStart", "saslContinue", "authenticate", "getnonce", "buildInfo", "ping", "endSessions",
    };

    private readonly ConcurrentQueue<string> _commands = new();
    private volatile bool _counting;

    /// <summary>For the app's service overrides: its IMongoClient becomes one that reports to this counter.</summary>
    public void Observe(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IMongoClient))?.ImplementationFactory
            ?? throw new InvalidOperationException("The app registers no IMongoClient factory to observe.");
        services.RemoveAll<IMongoClient>();
        services.AddSingleton<IMongoClient>(sp =>
        {
            // Only its settings are used. It is not disposed: the driver may share its cluster with other clients of
            // equal settings in this process (the subscription below makes this client's settings, and cluster, unique).
            var settings = ((IMongoClient)registered(sp)).Settings.Clone();
            settings.ClusterConfigurator = cluster => cluster.Subscribe<CommandStartedEvent>(OnCommandStarted);
            return new MongoClient(settings);
        });
    }

    public void Start()
    {
        _commands.Clear();
        _counting = true;
    }

    /// <summary>The names of the commands started since <see cref="Start"/>, in order.</summary>
    public IReadOnlyList<string> Stop()
    {
        _counting = false;
        return [.. _commands];
    }

    private void OnCommandStarted(CommandStartedEvent started)
    {
        if (_counting && !s_connectionUpkeep.Contains(started.CommandName))
        {
            _commands.Enqueue(started.CommandName);
        }
    }
}
