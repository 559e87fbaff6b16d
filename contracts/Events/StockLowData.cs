namespace Shop.Contracts.Events;

/// <summary>product.stock_low: a reservation left <see cref="Stock"/> below <see cref="Threshold"/>.</summary>
public sealed record StockLowData(string ProductId, string Sku, int Stock, int Threshold);
