using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Orders.Documents;

public sealed class OrderStore(IMongoDatabase database) : IHasIndexes
{
    public const string CollectionName = "orders";

    private readonly IMongoCollection<Order> _orders = database.GetCollection<Order>(CollectionName);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _orders.Indexes.CreateOneAsync(
            new CreateIndexModel<Order>(
                Builders<Order>.IndexKeys.Ascending(o => o.UserId).Descending(o => o.CreatedAt),
                new CreateIndexOptions { Name = "userId_createdAt" }),
            cancellationToken: cancellationToken);

    public Task<Order?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        _orders.Find(o => o.Id == orderId).FirstOrDefaultAsync(cancellationToken)!;

    /// <summary>False when an order with this id exists already (the database decides, not a read).</summary>
    public Task<bool> TryInsertAsync(Order order, CancellationToken cancellationToken) =>
        _orders.TryInsertOneAsync(order, cancellationToken);

    /// <summary>Newest first; <paramref name="userId"/> null lists every user's orders.</summary>
    public async Task<(IReadOnlyList<Order> Items, long Total)> ListAsync(string? userId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var filter = userId is null ? Builders<Order>.Filter.Empty : Builders<Order>.Filter.Eq(o => o.UserId, userId);
        var total = await _orders.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        var items = await _orders.Find(filter)
            .SortByDescending(o => o.CreatedAt).ThenBy(o => o.Id)
            .Skip((page - 1) * pageSize)
            .Limit(pageSize)
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task MarkScheduledAsync(string orderId, DateTime at, CancellationToken cancellationToken) =>
        await _orders.UpdateOneAsync(
            Builders<Order>.Filter.Eq(o => o.Id, orderId) & Builders<Order>.Filter.Eq(o => o.ScheduledAt, null),
            Builders<Order>.Update.Set(o => o.ScheduledAt, at),
            cancellationToken: cancellationToken);

    /// <summary>
    /// Moves the order to <paramref name="status"/> unless it has been there before; true when this call moved it.
    /// Prices arrive with the StockReserved transition and are written in the same update.
    /// </summary>
    public async Task<bool> TryTransitionAsync(
        string orderId, OrderStatus status, DateTime at, string? reason, OrderPricing? pricing, CancellationToken cancellationToken)
    {
        var marker = "reached." + status;
        var update = Builders<Order>.Update
            .Set(o => o.Status, status)
            .Set(marker, at)
            .Push(o => o.History, new StatusChange(status, at, reason))
            .Set(o => o.UpdatedAt, at);
        if (reason is not null)
        {
            update = update.Set(o => o.Reason, reason);
        }

        if (pricing is not null)
        {
            update = update.Set(o => o.Items, pricing.Items).Set(o => o.Total, pricing.Total).Set(o => o.Currency, pricing.Currency);
        }

        var result = await _orders.UpdateOneAsync(
            Builders<Order>.Filter.Eq(o => o.Id, orderId) & Builders<Order>.Filter.Exists(marker, exists: false),
            update,
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }
}

/// <summary>What the reservation said the order costs.</summary>
public sealed record OrderPricing(IReadOnlyList<OrderLine> Items, long Total, string? Currency);
