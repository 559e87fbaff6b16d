using Microsoft.Extensions.Caching.Hybrid;

namespace Shop.Products.Catalog;

/// <summary>
/// Product reads through HybridCache. Every write evicts the product and every cached list page (by tag), on this
/// instance at once and in Redis; other instances may serve their in-memory copy until Cache:LocalExpiration.
/// </summary>
public sealed class ProductCache(HybridCache cache)
{
    private const string ListTag = "products:list";

    public ValueTask<ProductView?> GetAsync(string id, Func<CancellationToken, Task<ProductView?>> load, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(ProductKey(id), load, static (load, ct) => new ValueTask<ProductView?>(load(ct)), cancellationToken: cancellationToken);

    public ValueTask<ProductPage> ListAsync(CatalogQuery query, Func<CancellationToken, Task<ProductPage>> load, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync(query.CacheKey, load, static (load, ct) => new ValueTask<ProductPage>(load(ct)), tags: [ListTag], cancellationToken: cancellationToken);

    public async Task EvictAsync(IEnumerable<string> productIds, CancellationToken cancellationToken)
    {
        foreach (var id in productIds.Distinct(StringComparer.Ordinal))
        {
            await cache.RemoveAsync(ProductKey(id), cancellationToken);
        }

        await cache.RemoveByTagAsync(ListTag, cancellationToken);
    }

    private static string ProductKey(string id) => "product:" + id;
}
