using Microsoft.Extensions.Logging;
using Shop.Shared.Http;
using Shop.Shared.Time;

namespace Shop.Products.Catalog;

public sealed class CatalogService(CatalogStore store, ProductCache cache, ProductMetrics metrics, TimeProvider time, ILogger<CatalogService> logger)
{
    public async Task<ProductView> GetAsync(string id, CancellationToken cancellationToken) =>
        await cache.GetAsync(id, async ct => await store.FindAsync(id, ct) is { } product ? ProductView.From(product) : null, cancellationToken)
        ?? throw Problems.NotFound("No such product.");

    public async Task<ProductPage> ListAsync(CatalogQuery query, CancellationToken cancellationToken) =>
        await cache.ListAsync(query, ct => store.ListAsync(query, ct), cancellationToken);

    public async Task<ProductView> CreateAsync(ProductInput input, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var product = Apply(input, new Product
        {
            Id = Ids.New(),
            Sku = "",
            Name = "",
            Description = "",
            Category = "",
            Price = 0,
            Currency = "",
            Stock = 0,
            Version = Versioning.Initial,
            CreatedAt = now,
            UpdatedAt = now,
        }, now);

        if (!await store.TryInsertAsync(product, cancellationToken))
        {
            throw Problems.Conflict("sku-taken", "A product with this SKU already exists.");
        }

        await cache.EvictAsync([product.Id], cancellationToken);
        logger.LogInformation("Created product {ProductId} ({Sku})", product.Id, product.Sku);
        return ProductView.From(product);
    }

    /// <summary>Replaces the editable fields if the product is still at the version the caller read; 412 otherwise.</summary>
    public async Task<ProductView> ReplaceAsync(string id, Precondition precondition, ProductInput input, CancellationToken cancellationToken)
    {
        var expected = RequireVersion(precondition);
        var current = await store.FindAsync(id, cancellationToken) ?? throw Problems.NotFound("No such product.");
        if (!Versioning.IsCurrent(current, expected))
        {
            throw VersionConflict(current.Version);
        }

        var replacement = Apply(input, current, time.UtcNow()) with { Version = Versioning.Next(expected) };
        if (!await store.TryReplaceAsync(replacement, expected, cancellationToken))
        {
            var latest = await store.FindAsync(id, cancellationToken) ?? throw Problems.NotFound("No such product.");
            throw VersionConflict(latest.Version);
        }

        await cache.EvictAsync([id], cancellationToken);
        logger.LogInformation("Replaced product {ProductId}: version {From} -> {To}", id, expected, replacement.Version);
        return ProductView.From(replacement);
    }

    public async Task DeleteAsync(string id, Precondition precondition, CancellationToken cancellationToken)
    {
        var expected = RequireVersion(precondition);
        if (!await store.TryDeleteAsync(id, expected, cancellationToken))
        {
            var current = await store.FindAsync(id, cancellationToken) ?? throw Problems.NotFound("No such product.");
            throw VersionConflict(current.Version);
        }

        await cache.EvictAsync([id], cancellationToken);
        logger.LogInformation("Deleted product {ProductId} at version {Version}", id, expected);
    }

    private static Product Apply(ProductInput input, Product product, DateTime now) => product with
    {
        Sku = input.Sku!,
        Name = input.Name!.Trim(),
        Description = input.Description?.Trim() ?? "",
        Category = input.Category!,
        Price = input.Price!.Value,
        Currency = input.Currency!,
        Stock = input.Stock!.Value,
        UpdatedAt = now,
    };

    private static long RequireVersion(Precondition precondition) => precondition switch
    {
        Precondition.Version version => version.Expected,
        Precondition.Missing => throw new ProblemException(new Problem(
            Problems.Type("precondition-required"), "If-Match is required.", 428,
            "Send If-Match with the ETag you read, e.g. If-Match: \"3\".")),
        Precondition.Malformed malformed => throw Problems.Validation("If-Match", malformed.Reason),
        _ => throw new InvalidOperationException("Unknown precondition."),
    };

    private ProblemException VersionConflict(long currentVersion)
    {
        metrics.VersionConflict("product");
        return new(new Problem(Problems.Type("version-conflict"), "The product has changed.", 412,
            "Another change was saved first; read the product again and retry with its ETag.")
        {
            Extensions = new Dictionary<string, object?> { ["currentVersion"] = currentVersion },
            Headers = new Dictionary<string, string> { ["ETag"] = ETags.Format(currentVersion) },
        });
    }
}
