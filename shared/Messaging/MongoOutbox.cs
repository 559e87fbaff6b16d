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

    private readonly LeasedClaims<OutboxDocument> _claims = new(database.GetCollection<OutboxDocument>(CollectionName), time);

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
            LockedUntil = LeasedClaims<OutboxDocument>.Free,
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
        await _outbox.Find(DueAt(now) & Builders<OutboxDocument>.Filter.Where(d => d.LockedUntil <= now))
            .SortBy(d => d.CreatedAt)
            .Limit(limit)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Takes the lease on the events among <paramref name="due"/> that are still due and that no relay holds, with one
    /// update; returns those this claim holds (another relay may have taken some, or they were sent meanwhile).
    /// </summary>
    internal Task<IReadOnlyList<OutboxDocument>> ClaimAsync(IReadOnlyList<OutboxDocument> due, CancellationToken cancellationToken) =>
        _claims.ClaimManyAsync(
            due,
            DueAt(Now()),
            options.Value.LeaseDuration,
            (candidate, lease) => candidate with { LockToken = lease.Token, LockedUntil = lease.Until },
            cancellationToken);

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
                .Set(d => d.LockedUntil, LeasedClaims<OutboxDocument>.Free)
                .Set(d => d.LockToken, null)
                .Set(d => d.LastError, null),
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Counts a failed publish of a claimed event and releases its lease; false (a no-op) when the claim no longer holds it.
    /// </summary>
    internal Task<bool> ScheduleRetryAsync(OutboxDocument claimed, DateTime nextAttemptAt, string error, CancellationToken cancellationToken) =>
        _claims.TryReleaseAsync(
            claimed.Id,
            claimed.LockToken ?? throw new ArgumentException("Only an event this relay claimed is rescheduled.", nameof(claimed)),
            Builders<OutboxDocument>.Update
                .Inc(d => d.Attempts, 1)
                .Set(d => d.NextAttemptAt, nextAttemptAt)
                .Set(d => d.LastError, error),
            cancellationToken);

    internal async Task<OutboxDocument?> FindAsync(string id, CancellationToken cancellationToken) =>
        await _outbox.Find(d => d.Id == id).FirstOrDefaultAsync(cancellationToken);

    private static FilterDefinition<OutboxDocument> DueAt(DateTime now) =>
        Builders<OutboxDocument>.Filter.Where(d => d.SentAt == null && d.NextAttemptAt <= now);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
