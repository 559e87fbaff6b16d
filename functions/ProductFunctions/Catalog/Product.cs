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
