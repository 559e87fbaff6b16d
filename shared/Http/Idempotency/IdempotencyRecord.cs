using MongoDB.Bson.Serialization.Attributes;
using Shop.Shared.Mongo;

namespace Shop.Shared.Http.Idempotency;

/// <summary>
/// The first request made with one Idempotency-Key by one user, and once it finished, its response. <c>_id</c> is
/// <c>{userId}:{key}</c>: keys are scoped per user (two users may pick the same key) and unique by the primary key
/// alone. A TTL index on <see cref="ExpiresAt"/> forgets keys after the configured lifetime (at least 24 h).
/// </summary>
public sealed record IdempotencyRecord : ILeasedDocument
{
    [BsonId]
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string RequestHash { get; init; }

    public required IdempotencyState State { get; init; }

    /// <summary>Who works on an in-progress record; only that worker may complete or abandon it.</summary>
    public required string LockToken { get; init; }

    public required DateTime LockedUntil { get; init; }

    public int? ResponseStatus { get; init; }

    /// <summary>The response body exactly as first sent (JSON text), replayed byte for byte.</summary>
    public string? ResponseBody { get; init; }

    public string? ResponseLocation { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime ExpiresAt { get; init; }

    public static string IdFor(string userId, string key) => userId + ":" + key;
}
