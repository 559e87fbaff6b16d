using Microsoft.Extensions.Caching.Hybrid;
using Shop.Shared.Observability;

namespace Shop.Products.Catalog;

/// <summary>
/// Product reads through HybridCache. Every write evicts the product and every cached list page (by tag), on this
/// instance at once and in Redis; other instances may serve their in-memory copy until Cache:LocalExpiration.
/// A read counts as a miss in shop_cache_requests_total when it ran the database load itself; callers that joined a
/// load already running for the same key count as hits.
/// </summary>
public sealed class ProductCache(HybridCache cache, ShopMetrics metrics)
{
    private const string ListTag = "products:list";

    public async ValueTask<ProductView?> GetAsync(string id, Func<CancellationToken, Task<ProductView?>> load, CancellationToken cancellationToken)
    {
        var fill = new Fill<ProductView?>(load);
        var view = await cache.GetOrCreateAsync(ProductKey(id), fill, static (fill, ct) => fill.RunAsync(ct), cancellationToken: cancellationToken);
        metrics.CacheRead("product", hit: !fill.Ran);
        return view;
    }

    public async ValueTask<ProductPage> ListAsync(CatalogQuery query, Func<CancellationToken, Task<ProductPage>> load, CancellationToken cancellationToken)
    {
        var fill = new Fill<ProductPage>(load);
        var page = await cache.GetOrCreateAsync(query.CacheKey, fill, static (fill, ct) => fill.RunAsync(ct), tags: [ListTag], cancellationToken: cancellationToken);
        metrics.CacheRead("product-list", hit: !fill.Ran);
        return page;
    }

    public async Task EvictAsync(IEnumerable<string> productIds, CancellationToken cancellationToken)
    {
        foreach (var id in productIds.Distinct(StringComparer.Ordinal))
        {
            await cache.RemoveAsync(ProductKey(id), cancellationToken);
        }

        await cache.RemoveByTagAsync(ListTag, cancellationToken);
    }

    private static string ProductKey(string id) => "product:" + id;

    private sealed class Fill<T>(Func<CancellationToken, Task<T>> load)
    {
        public bool Ran { get; private set; }

        public async ValueTask<T> RunAsync(CancellationToken cancellationToken)
        {
            Ran = true;
            return await load(cancellationToken);
        }
    }
}
