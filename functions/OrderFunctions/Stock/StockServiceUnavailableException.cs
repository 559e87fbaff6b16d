namespace Shop.Orders.Stock;

public sealed class StockServiceUnavailableException(string message) : Exception(message);
