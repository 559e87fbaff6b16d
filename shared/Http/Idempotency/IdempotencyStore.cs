using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Shared.Http.Idempotency;

public sealed class IdempotencyStore(IMongoDatabase database, TimeProvider time) : IHasIndexes
{
    public const string CollectionName = "idempotencyKeys";

    private readonly IMongoCollection<IdempotencyRecord> _records = database.GetCollection<IdempotencyRecord>(CollectionName);

    public LeasedClaims<IdempotencyRecord> Claims { get; } = new(database.GetCollection<IdempotencyRecord>(CollectionName), time);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _records.Indexes.CreateOneAsync(
            new CreateIndexModel<IdempotencyRecord>(
                Builders<IdempotencyRecord>.IndexKeys.Ascending(r => r.ExpiresAt),
                new CreateIndexOptions { Name = "expiresAt_ttl", ExpireAfter = TimeSpan.Zero }),
            cancellationToken: cancellationToken);

    public Task<IdempotencyRecord?> FindAsync(string id, CancellationToken cancellationToken) => Claims.FindAsync(id, cancellationToken);

    public Task<bool> TryInsertAsync(IdempotencyRecord record, CancellationToken cancellationToken) =>
        _records.TryInsertOneAsync(record, cancellationToken);

    public Task<bool> TryCompleteAsync(IdempotencyRecord claimed, StoredResponse response, CancellationToken cancellationToken) =>
        Claims.TryCompleteAsync(
            claimed.Id,
            claimed.LockToken,
            Builders<IdempotencyRecord>.Update
                .Set(r => r.State, IdempotencyState.Completed)
                .Set(r => r.ResponseStatus, response.Status)
                .Set(r => r.ResponseBody, response.Body)
                .Set(r => r.ResponseLocation, response.Location),
            cancellationToken);
}
