using System.Diagnostics;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Shared.Messaging;

/// <summary>
/// The outbox as a MongoDB collection. Plain single-document operations only (no transactions, no change streams):
/// the producer writes its state, then the event with a deterministic id, and a retry of both stores the event once.
/// </summary>
public sealed class MongoOutbox(
    IMongoDatabase database,
    IOptions<OutboxOptions> options,
    OutboxSignal signal,
    TimeProvider time) : IOutbox, IHasIndexes
{
    public const string CollectionName = "outbox";

    private readonly IMongoCollection<OutboxDocument> _outbox = database.GetCollection<OutboxDocument>(CollectionName);

    public async Task AddAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(integrationEvent.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(integrationEvent.Type);
        var now = Now();
        var document = new OutboxDocument
        {
            Id = integrationEvent.Id,
            Type = integrationEvent.Type,
            RoutingKey = integrationEvent.RoutingKey,
            Payload = integrationEvent.Data.GetRawText(),
            OccurredAt = AsUtc(integrationEvent.OccurredAt),
            CreatedAt = now,
            NextAttemptAt = now,
            LockedUntil = DateTime.UnixEpoch,
            // Captured here because this is where the business operation's trace is current; the relay runs later.
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null,
        };
        // A duplicate id was stored by an earlier try of the same operation: the first version stands.
        if (await _outbox.TryInsertOneAsync(document, cancellationToken))
        {
            signal.Notify();
        }
    }

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<OutboxDocument>.IndexKeys;
        await _outbox.Indexes.CreateManyAsync(
            [
                new CreateIndexModel<OutboxDocument>(
                    keys.Ascending(d => d.SentAt).Ascending(d => d.NextAttemptAt),
                    new CreateIndexOptions { Name = "sentAt_nextAttemptAt" }),
                // TTL ignores documents whose sentAt is null, so only confirmed events ever expire.
                new CreateIndexModel<OutboxDocument>(
                    keys.Ascending(d => d.SentAt),
                    new CreateIndexOptions { Name = "sentAt_ttl", ExpireAfter = options.Value.KeepSentFor }),
            ],
            cancellationToken);
    }

    public async Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken)
    {
        var count = await _outbox.CountDocumentsAsync(d => d.SentAt == null, cancellationToken: cancellationToken);
        if (count == 0)
        {
            return new OutboxBacklog(0, TimeSpan.Zero);
        }

        var oldest = await _outbox.Find(d => d.SentAt == null).SortBy(d => d.CreatedAt).Limit(1).FirstOrDefaultAsync(cancellationToken);
        var age = oldest is null ? TimeSpan.Zero : Now() - oldest.CreatedAt;
        return new OutboxBacklog(count, age < TimeSpan.Zero ? TimeSpan.Zero : age);
    }

    internal async Task<List<OutboxDocument>> FindDueAsync(DateTime now, int limit, CancellationToken cancellationToken) =>
        await _outbox.Find(d => d.SentAt == null && d.NextAttemptAt <= now && d.LockedUntil <= now)
            .SortBy(d => d.CreatedAt)
            .Limit(limit)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Takes the lease on the due events among <paramref name="due"/> with one update; returns those this claim holds
    /// (another relay may have taken some, or they were sent meanwhile).
    /// </summary>
    // Not LeasedClaims: that claims one document by id, inserting it or waiting for its holder; a relay claims a batch of
    // documents the producers stored, in one update, skips what another relay holds instead of waiting, and never
    // deletes on failure (it reschedules). Per-document claims would cost a round trip per event instead of per batch.
    internal async Task<IReadOnlyList<OutboxDocument>> ClaimAsync(
        IReadOnlyList<OutboxDocument> due, DateTime now, DateTime leaseUntil, string claimToken, CancellationToken cancellationToken)
    {
        var ids = due.Select(d => d.Id).ToList();
        var result = await _outbox.UpdateManyAsync(
            d => ids.Contains(d.Id) && d.SentAt == null && d.NextAttemptAt <= now && d.LockedUntil <= now,
            Builders<OutboxDocument>.Update.Set(d => d.LockedUntil, leaseUntil).Set(d => d.LockedBy, claimToken),
            cancellationToken: cancellationToken);
        if (result.ModifiedCount == due.Count)
        {
            // Every candidate is ours: what was read is what is published, no second read.
            return due;
        }

        return result.ModifiedCount == 0
            ? []
            : await _outbox.Find(d => d.LockedBy == claimToken && d.SentAt == null).SortBy(d => d.CreatedAt).ToListAsync(cancellationToken);
    }

    internal async Task MarkSentAsync(IReadOnlyCollection<string> ids, DateTime now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await _outbox.UpdateManyAsync(
            d => ids.Contains(d.Id),
            Builders<OutboxDocument>.Update
                .Set(d => d.SentAt, now)
                .Set(d => d.LockedUntil, DateTime.UnixEpoch)
                .Set(d => d.LockedBy, null)
                .Set(d => d.LastError, null),
            cancellationToken: cancellationToken);
    }

    /// <summary>Counts a failed publish and releases the lease; a no-op when this claim no longer holds it.</summary>
    internal async Task ScheduleRetryAsync(string id, string claimToken, DateTime nextAttemptAt, string error, CancellationToken cancellationToken) =>
        await _outbox.UpdateOneAsync(
            d => d.Id == id && d.SentAt == null && d.LockedBy == claimToken,
            Builders<OutboxDocument>.Update
                .Inc(d => d.Attempts, 1)
                .Set(d => d.NextAttemptAt, nextAttemptAt)
                .Set(d => d.LockedUntil, DateTime.UnixEpoch)
                .Set(d => d.LockedBy, null)
                .Set(d => d.LastError, error),
            cancellationToken: cancellationToken);

    internal async Task<OutboxDocument?> FindAsync(string id, CancellationToken cancellationToken) =>
        await _outbox.Find(d => d.Id == id).FirstOrDefaultAsync(cancellationToken);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
