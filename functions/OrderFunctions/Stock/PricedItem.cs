namespace Shop.Orders.Stock;

/// <summary>A line as the catalog priced it at reservation time; unit prices in integer minor units.</summary>
public sealed record PricedItem(string ProductId, int Quantity, string Name, long UnitPrice, string Currency);
