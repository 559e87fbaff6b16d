namespace Shop.Products.Reservations;

/// <summary>The first requested item the catalog cannot cover; <see cref="Reason"/> is the rejection reason.</summary>
public sealed record StockShortfall(string ProductId, string Reason)
{
    public const string UnknownProduct = "unknown-product";
    public const string InsufficientStock = "insufficient-stock";
}
