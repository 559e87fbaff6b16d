using System.ComponentModel;
using MongoDB.Bson.Serialization.Attributes;

namespace Shop.Products.Catalog;

/// <summary>
/// A product document. <see cref="Version"/> starts at 1 and grows by one with every change (edits and stock
/// movements alike); <see cref="ReservedFor"/> holds the quantity each open reservation took, keyed by order id,
/// which makes every stock movement idempotent per order.
/// </summary>
public sealed record Product
{
    [BsonId]
    public required string Id { get; init; }

    public required string Sku { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Category { get; init; }

    /// <summary>Integer minor units (cents), never floating point.</summary>
    public required long Price { get; init; }

    public required string Currency { get; init; }

    public required int Stock { get; init; }

    public required long Version { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    public Dictionary<string, int> ReservedFor { get; init; } = [];
}

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

[ImmutableObject(true)]
public sealed record ProductPage(IReadOnlyList<ProductView> Items, int Page, int PageSize, long Total);
