namespace Shop.Contracts.Reservations;

/// <summary>What the order may charge for: price and name as the catalog had them at reservation time.</summary>
public sealed record ReservedItem(string ProductId, int Quantity, string Name, long UnitPrice, string Currency);
