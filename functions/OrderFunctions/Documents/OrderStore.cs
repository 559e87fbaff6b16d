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
    /// Records that a cancel was requested (the first request's reason stays); the orchestration still decides, this
    /// only stops a later Confirmed (<see cref="TryTransitionAsync"/> with <c>unlessCancelRequested</c>).
    /// </summary>
    public async Task RequestCancelAsync(string orderId, string reason, CancellationToken cancellationToken) =>
        await _orders.UpdateOneAsync(
            Builders<Order>.Filter.Eq(o => o.Id, orderId) & Builders<Order>.Filter.Eq(o => o.CancelReason, null),
            Builders<Order>.Update.Set(o => o.CancelReason, reason),
            cancellationToken: cancellationToken);

    /// <summary>
    /// Moves the order through <paramref name="statuses"/> (in order, ending on the last) in one update, unless it has
    /// been at the last before; true when this call moved it. Prices arrive with the StockReserved transition and are
    /// written in the same update. With <paramref name="unlessCancelRequested"/> the update does not apply to an order
    /// whose cancel was requested.
    /// </summary>
    public async Task<bool> TryTransitionAsync(
        string orderId,
        IReadOnlyList<OrderStatus> statuses,
        DateTime at,
        string? reason,
        OrderPricing? pricing,
        bool unlessCancelRequested,
        CancellationToken cancellationToken)
    {
        var final = statuses[^1];
        var update = Builders<Order>.Update
            .Set(o => o.Status, final)
            .PushEach(o => o.History, statuses.Select(status => new StatusChange(status, at, reason)))
            .Set(o => o.UpdatedAt, at);
        foreach (var status in statuses)
        {
            update = update.Set(Marker(status), at);
        }

        if (reason is not null)
        {
            update = update.Set(o => o.Reason, reason);
        }

        if (pricing is not null)
        {
            update = update.Set(o => o.Items, pricing.Items).Set(o => o.Total, pricing.Total).Set(o => o.Currency, pricing.Currency);
        }

        var filter = Builders<Order>.Filter.Eq(o => o.Id, orderId) & Builders<Order>.Filter.Exists(Marker(final), exists: false);
        if (unlessCancelRequested)
        {
            filter &= Builders<Order>.Filter.Eq(o => o.CancelReason, null);
        }

        var result = await _orders.UpdateOneAsync(filter, update, cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    private static string Marker(OrderStatus status) => "reached." + status;
}

/// <summary>What the reservation said the order costs.</summary>
public sealed record OrderPricing(IReadOnlyList<OrderLine> Items, long Total, string? Currency);
