namespace Shop.Orders.Stock;

public sealed class StockContractException(string message) : Exception(message);
