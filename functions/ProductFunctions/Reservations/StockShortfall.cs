namespace Shop.Products.Reservations;

/// <summary>The first requested item the catalog cannot cover; <see cref="Reason"/> is a rejection reason.</summary>
public sealed record StockShortfall(string ProductId, string Reason);
