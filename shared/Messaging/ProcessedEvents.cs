using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Shared.Messaging;

/// <summary>
/// Which events each consumer has handled: collection <c>processedEvents</c>, <c>_id</c> = <c>{consumer}:{eventId}</c>,
/// so the record is unique by the primary key alone (no secondary unique index, which some servers do not enforce).
/// Records expire after <see cref="Retention"/>; a redelivery is minutes away, never weeks.
/// </summary>
public sealed class ProcessedEvents(IMongoDatabase database, TimeProvider time) : IHasIndexes
{
    public const string CollectionName = "processedEvents";

    public static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    private readonly IMongoCollection<ProcessedEvent> _processed = database.GetCollection<ProcessedEvent>(CollectionName);

    public static string Key(string consumer, string eventId) => consumer + ":" + eventId;

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _processed.Indexes.CreateOneAsync(
            new CreateIndexModel<ProcessedEvent>(
                Builders<ProcessedEvent>.IndexKeys.Ascending(p => p.ProcessedAt),
                new CreateIndexOptions { Name = "processedAt_ttl", ExpireAfter = Retention }),
            cancellationToken: cancellationToken);

    public async Task<bool> ContainsAsync(string consumer, string eventId, CancellationToken cancellationToken)
    {
        var key = Key(consumer, eventId);
        return await _processed.Find(p => p.Id == key).AnyAsync(cancellationToken);
    }

    /// <summary>Records the event as handled; recording it twice is fine.</summary>
    public Task MarkAsync(string consumer, string eventId, CancellationToken cancellationToken) =>
        _processed.TryInsertOneAsync(new ProcessedEvent(Key(consumer, eventId), consumer, eventId, time.GetUtcNow().UtcDateTime), cancellationToken);

    internal sealed record ProcessedEvent(string Id, string Consumer, string EventId, DateTime ProcessedAt);
}
