using System.ComponentModel;

namespace Shop.Products.Catalog;

/// <summary>
/// What clients see of a product. Immutable (HybridCache trusts the attribute): an in-memory cache hit hands out the one
/// cached instance instead of deserializing a defensive copy.
/// </summary>
[ImmutableObject(true)]
public sealed record ProductView(
    string Id, string Sku, string Name, string Description, string Category, long Price, string Currency, int Stock,
    long Version, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ProductView From(Product p) =>
        new(p.Id, p.Sku, p.Name, p.Description, p.Category, p.Price, p.Currency, p.Stock, p.Version, p.CreatedAt, p.UpdatedAt);
}
