using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Contracts.Reservations;
using Shop.Products.Catalog;
using Shop.Shared.Time;

namespace Shop.Products.Reservations;

/// <summary>
/// Stock movements on the product documents. Each one is a single conditional update that is idempotent per order:
/// taking stock requires that the order holds nothing of the product yet, giving it back requires that it does.
/// Each movement also bumps the version, so an admin edit based on an older read is rejected.
/// </summary>
public sealed class StockLedger(CatalogStore catalog, TimeProvider time)
{
    // Built once: a LINQ projection (new { p.Id, p.Stock }) compiles a deserializer on every call.
    private static readonly ProjectionDefinition<Product, StockLevel> s_stockOnly =
        Builders<Product>.Projection.Include(p => p.Id).Include(p => p.Stock);

    private IMongoCollection<Product> Products => catalog.Products;

    /// <summary>Takes the quantity if enough is in stock; the product as it is afterwards, or null.</summary>
    public Task<Product?> TryTakeAsync(string productId, string orderId, int quantity, CancellationToken cancellationToken) =>
        Products.FindOneAndUpdateAsync<Product?>(
            Builders<Product>.Filter.Eq(p => p.Id, productId)
                & Builders<Product>.Filter.Gte(p => p.Stock, quantity)
                & Builders<Product>.Filter.Exists(Marker(orderId), exists: false),
            Builders<Product>.Update
                .Inc(p => p.Stock, -quantity)
                .Inc(p => p.Version, 1)
                .Set(Marker(orderId), quantity)
                .Set(p => p.UpdatedAt, time.UtcNow()),
            new FindOneAndUpdateOptions<Product, Product?> { ReturnDocument = ReturnDocument.After },
            cancellationToken);

    /// <summary>
    /// Takes the quantity for the order in one round trip that also says why when it does not: one pipeline update
    /// matched on the id alone, whose stages apply the take only if the stock covers it and the order holds nothing of
    /// the product yet. It returns the product as it was before, so the caller tells a take, a repeat, short stock and
    /// an unknown product apart without another read. When the condition fails, every field is set to itself: nothing
    /// changes, not even the version.
    /// </summary>
    public async Task<StockTake> TakeAsync(string productId, string orderId, int quantity, CancellationToken cancellationToken)
    {
        var marker = Marker(orderId);
        var allowed = new BsonDocument("$and", new BsonArray
        {
            new BsonDocument("$gte", new BsonArray { "$stock", quantity }),
            new BsonDocument("$eq", new BsonArray { new BsonDocument("$type", "$" + marker), "missing" }),
        });
        BsonDocument When(BsonValue taken, string unchanged) =>
            new("$cond", new BsonArray { allowed, taken, "$" + unchanged });
        var take = new BsonDocument("$set", new BsonDocument
        {
            { "stock", When(new BsonDocument("$subtract", new BsonArray { "$stock", quantity }), "stock") },
            { "version", When(new BsonDocument("$add", new BsonArray { "$version", new BsonInt64(1) }), "version") },
            { marker, When(new BsonDocument("$literal", quantity), marker) },
            { "updatedAt", When(new BsonDocument("$literal", new BsonDateTime(time.UtcNow())), "updatedAt") },
        });
        var before = await Products.FindOneAndUpdateAsync<Product?>(
            Builders<Product>.Filter.Eq(p => p.Id, productId),
            new PipelineUpdateDefinition<Product>(PipelineDefinition<Product, Product>.Create(take)),
            new FindOneAndUpdateOptions<Product, Product?> { ReturnDocument = ReturnDocument.Before },
            cancellationToken);
        return StockTake.Of(before, orderId, quantity);
    }

    /// <summary>What the order holds, found by its markers: after a crash nothing else may say where its stock went.</summary>
    public async Task<IReadOnlyList<RequestedItem>> FindHeldAsync(string orderId, CancellationToken cancellationToken)
    {
        var holding = await Products.Find(Builders<Product>.Filter.Exists(Marker(orderId))).ToListAsync(cancellationToken);
        return [.. holding.Where(p => p.ReservedFor.ContainsKey(orderId)).Select(p => new RequestedItem(p.Id, p.ReservedFor[orderId]))];
    }

    /// <summary>
    /// One read of the requested products' stock: the first item (in the given order) that is unknown or short right
    /// now, or null when every item is covered at this moment (which does not promise the takes will succeed).
    /// </summary>
    public async Task<StockShortfall?> FindShortfallAsync(IReadOnlyList<RequestedItem> items, CancellationToken cancellationToken)
    {
        var ids = items.Select(i => i.ProductId).ToList();
        var levels = await Products.Find(Builders<Product>.Filter.In(p => p.Id, ids))
            .Project(s_stockOnly)
            .ToListAsync(cancellationToken);
        var stockById = levels.ToDictionary(p => p.Id, p => p.Stock, StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!stockById.TryGetValue(item.ProductId, out var available))
            {
                return new StockShortfall(item.ProductId, RejectionReasons.UnknownProduct);
            }

            if (available < item.Quantity)
            {
                return new StockShortfall(item.ProductId, RejectionReasons.InsufficientStock);
            }
        }

        return null;
    }

    /// <summary>Returns what the order took, if it still holds it; true when stock moved.</summary>
    public async Task<bool> GiveBackAsync(string productId, string orderId, int quantity, CancellationToken cancellationToken)
    {
        var result = await Products.UpdateOneAsync(
            Builders<Product>.Filter.Eq(p => p.Id, productId) & Builders<Product>.Filter.Eq(Marker(orderId), quantity),
            Builders<Product>.Update
                .Inc(p => p.Stock, quantity)
                .Inc(p => p.Version, 1)
                .Unset(Marker(orderId))
                .Set(p => p.UpdatedAt, time.UtcNow()),
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    /// <summary>The order completed: the stock it took is sold, so only the marker goes.</summary>
    public Task SettleAsync(string productId, string orderId, CancellationToken cancellationToken) =>
        Products.UpdateOneAsync(
            Builders<Product>.Filter.Eq(p => p.Id, productId) & Builders<Product>.Filter.Exists(Marker(orderId)),
            Builders<Product>.Update.Unset(Marker(orderId)),
            cancellationToken: cancellationToken);

    private static string Marker(string orderId) => "reservedFor." + orderId;
}
