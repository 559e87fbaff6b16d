using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Orders.Idempotency;

public sealed class IdempotencyStore(IMongoDatabase database) : IHasIndexes
{
    public const string CollectionName = "idempotencyKeys";

    private readonly IMongoCollection<IdempotencyRecord> _records = database.GetCollection<IdempotencyRecord>(CollectionName);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _records.Indexes.CreateOneAsync(
            new CreateIndexModel<IdempotencyRecord>(
                Builders<IdempotencyRecord>.IndexKeys.Ascending(r => r.ExpiresAt),
                new CreateIndexOptions { Name = "expiresAt_ttl", ExpireAfter = TimeSpan.Zero }),
            cancellationToken: cancellationToken);

    public Task<IdempotencyRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        _records.Find(r => r.Id == id).FirstOrDefaultAsync(cancellationToken)!;

    public Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken) =>
        _records.TryInsertOneAsync(record, cancellationToken);

    /// <summary>
    /// Replaces a record the TTL monitor has not removed yet although it expired (it runs about once a minute), or an
    /// in-progress record whose worker's lease ran out. Only one caller can win: the filter names what it saw.
    /// </summary>
    public async Task<bool> TryTakeOverAsync(IdempotencyRecord seen, IdempotencyRecord replacement, DateTime now, CancellationToken cancellationToken)
    {
        var filter = Builders<IdempotencyRecord>.Filter;
        var stillAsSeen = filter.Eq(r => r.Id, seen.Id) & filter.Eq(r => r.LockToken, seen.LockToken) & filter.Eq(r => r.State, seen.State);
        var takeable = filter.Lt(r => r.ExpiresAt, now) | (filter.Eq(r => r.State, IdempotencyState.InProgress) & filter.Lt(r => r.LockedUntil, now));
        var result = await _records.ReplaceOneAsync(stillAsSeen & takeable, replacement, cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    public async Task<bool> TryCompleteAsync(string id, string lockToken, StoredResponse response, CancellationToken cancellationToken)
    {
        var result = await _records.UpdateOneAsync(
            r => r.Id == id && r.LockToken == lockToken && r.State == IdempotencyState.InProgress,
            Builders<IdempotencyRecord>.Update
                .Set(r => r.State, IdempotencyState.Completed)
                .Set(r => r.ResponseStatus, response.Status)
                .Set(r => r.ResponseBody, response.Body)
                .Set(r => r.ResponseLocation, response.Location),
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    /// <summary>Forgets an attempt that failed unexpectedly, so the client's retry runs the (idempotent) work again.</summary>
    public async Task AbandonAsync(string id, string lockToken, CancellationToken cancellationToken) =>
        await _records.DeleteOneAsync(
            r => r.Id == id && r.LockToken == lockToken && r.State == IdempotencyState.InProgress,
            cancellationToken);
}
