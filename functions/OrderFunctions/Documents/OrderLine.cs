namespace Shop.Orders.Documents;

public sealed record OrderLine(string ProductId, int Quantity, string? Name = null, long? UnitPrice = null);
