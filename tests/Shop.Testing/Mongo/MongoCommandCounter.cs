using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;
using Shop.Shared.Mongo;

namespace Shop.Testing.Mongo;

/// <summary>
/// Counts the MongoDB round trips an app makes, from the driver's own command events: register it as the app's
/// <see cref="IConfigureMongoClient"/> (<c>services.AddSingleton&lt;IConfigureMongoClient&gt;(counter)</c>), then
/// <see cref="CountAsync"/> around the work. Only commands on the named collections count, so background work on
/// other collections (the outbox relay's polling, index creation) does not; counts are exact, not timed.
/// </summary>
public sealed class MongoCommandCounter(params string[] collections) : IConfigureMongoClient
{
    // The first element of a command names it and, for CRUD commands, its collection.
    private static readonly HashSet<string> s_operations = new(StringComparer.Ordinal)
    {
        "find", "insert", "update", "delete", "findAndModify", "aggregate", "count", "distinct", "getMore",
    };

    private readonly HashSet<string> _collections = new(collections, StringComparer.Ordinal);
    private readonly ConcurrentQueue<MongoCommand> _commands = new();

    public void Configure(MongoClientSettings settings)
    {
        var previous = settings.ClusterConfigurator;
        settings.ClusterConfigurator = builder =>
        {
            previous?.Invoke(builder);
            builder.Subscribe<CommandStartedEvent>(Record);
        };
    }

    /// <summary>The commands sent on the counted collections while <paramref name="work"/> ran (exceptions included).</summary>
    public async Task<IReadOnlyList<MongoCommand>> CountAsync(Func<Task> work)
    {
        _commands.Clear();
        await work();
        return [.. _commands];
    }

    private void Record(CommandStartedEvent started)
    {
        if (!s_operations.Contains(started.CommandName))
        {
            return;
        }

        var target = started.Command.GetValue(started.CommandName, BsonNull.Value);
        var collection = target.IsString ? target.AsString : "";
        if (_collections.Count == 0 || _collections.Contains(collection))
        {
            _commands.Enqueue(new MongoCommand(started.CommandName, collection));
        }
    }
}

/// <summary>One round trip: the command and the collection it went to.</summary>
public sealed record MongoCommand(string Name, string Collection)
{
    public override string ToString() => $"{Name} {Collection}";
}
