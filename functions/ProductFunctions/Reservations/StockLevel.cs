namespace Shop.Products.Reservations;

/// <summary>A product's id and stock, read without the rest of the document.</summary>
public sealed record StockLevel(string Id, int Stock);
