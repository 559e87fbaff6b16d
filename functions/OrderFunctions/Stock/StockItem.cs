namespace Shop.Orders.Stock;

public sealed record StockItem(string ProductId, int Quantity);
