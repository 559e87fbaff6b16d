using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Orders.Notifications;

/// <summary>A message for a customer about one order event; <c>_id</c> is the event id, so an event notifies once.</summary>
public sealed record Notification
{
    [BsonId]
    public required string EventId { get; init; }

    public required string OrderId { get; init; }

    public required string UserId { get; init; }

    public required string EventType { get; init; }

    public required string Message { get; init; }

    public required DateTime OccurredAt { get; init; }

    public required DateTime CreatedAt { get; init; }
}

public sealed class NotificationStore(IMongoDatabase database) : IHasIndexes
{
    public const string CollectionName = "notifications";

    private readonly IMongoCollection<Notification> _notifications = database.GetCollection<Notification>(CollectionName);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _notifications.Indexes.CreateOneAsync(
            new CreateIndexModel<Notification>(
                Builders<Notification>.IndexKeys.Ascending(n => n.UserId).Descending(n => n.OccurredAt),
                new CreateIndexOptions { Name = "userId_occurredAt" }),
            cancellationToken: cancellationToken);

    /// <summary>False when this event already made its notification.</summary>
    public Task<bool> TryAddAsync(Notification notification, CancellationToken cancellationToken) =>
        _notifications.TryInsertOneAsync(notification, cancellationToken);

    public async Task<IReadOnlyList<Notification>> ForOrderAsync(string orderId, CancellationToken cancellationToken) =>
        await _notifications.Find(n => n.OrderId == orderId).SortBy(n => n.OccurredAt).ToListAsync(cancellationToken);
}
