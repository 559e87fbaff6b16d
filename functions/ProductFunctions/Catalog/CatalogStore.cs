using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Products.Catalog;

/// <summary>The products collection: every write is conditional on the version the caller read.</summary>
public sealed class CatalogStore(IMongoDatabase database) : IHasIndexes
{
    public const string CollectionName = "products";

    public IMongoCollection<Product> Products { get; } = database.GetCollection<Product>(CollectionName);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await Products.Indexes.CreateManyAsync(
            [
                new CreateIndexModel<Product>(Builders<Product>.IndexKeys.Ascending(p => p.Sku), new CreateIndexOptions { Unique = true, Name = "sku_unique" }),
                new CreateIndexModel<Product>(Builders<Product>.IndexKeys.Ascending(p => p.Category).Ascending(p => p.Name).Ascending(p => p.Id),
                    new CreateIndexOptions { Name = "category_name" }),
            ],
            cancellationToken);

    public Task<Product?> FindAsync(string id, CancellationToken cancellationToken) =>
        Products.Find(p => p.Id == id).FirstOrDefaultAsync(cancellationToken)!;

    public Task<bool> TryInsertAsync(Product product, CancellationToken cancellationToken) =>
        Products.TryInsertOneAsync(product, cancellationToken);

    /// <summary>ReplaceOne filtered on id AND the expected version; false when another write got there first.</summary>
    public async Task<bool> TryReplaceAsync(Product replacement, long expectedVersion, CancellationToken cancellationToken)
    {
        var result = await Products.ReplaceOneAsync(Versioning.SameVersion(replacement.Id, expectedVersion), replacement, cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task<bool> TryDeleteAsync(string id, long expectedVersion, CancellationToken cancellationToken)
    {
        var result = await Products.DeleteOneAsync(Versioning.SameVersion(id, expectedVersion), cancellationToken);
        return result.DeletedCount == 1;
    }

    public async Task<ProductPage> ListAsync(CatalogQuery query, CancellationToken cancellationToken)
    {
        var filter = query.Filter;
        var total = await Products.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        var items = await Products.Find(filter)
            .Sort(query.SortDefinition)
            .Skip((query.Page - 1) * query.PageSize)
            .Limit(query.PageSize)
            .ToListAsync(cancellationToken);
        return new ProductPage([.. items.Select(ProductView.From)], query.Page, query.PageSize, total);
    }
}
