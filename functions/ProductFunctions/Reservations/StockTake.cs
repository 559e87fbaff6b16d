using Shop.Products.Catalog;

namespace Shop.Products.Reservations;

public enum StockTakeOutcome
{
    Taken,
    AlreadyHeld,
    InsufficientStock,
    UnknownProduct,
}

/// <summary>
/// What one conditional take of one product found. <see cref="Before"/> is the product as the update saw it (null when
/// there is none); <see cref="After"/> is it with the take applied, when the take happened.
/// </summary>
public sealed record StockTake(StockTakeOutcome Outcome, Product? Before, int Quantity, string OrderId)
{
    public Product? After => Outcome == StockTakeOutcome.Taken
        ? Before! with { Stock = Before.Stock - Quantity, Version = Before.Version + 1, ReservedFor = new(Before.ReservedFor) { [OrderId] = Quantity } }
        : null;

    /// <summary>The quantity this order holds of the product (before this take), if any.</summary>
    public int? HeldQuantity => Before is not null && Before.ReservedFor.TryGetValue(OrderId, out var held) ? held : null;

    public static StockTake Of(Product? before, string orderId, int quantity) => new(
        before is null ? StockTakeOutcome.UnknownProduct
            : before.ReservedFor.ContainsKey(orderId) ? StockTakeOutcome.AlreadyHeld
            : before.Stock < quantity ? StockTakeOutcome.InsufficientStock
            : StockTakeOutcome.Taken,
        before, quantity, orderId);
}
