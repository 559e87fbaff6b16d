using Shop.Orders.Stock;

namespace Shop.Orders.Workflow;

public sealed record ReserveOrderStockInput(string OrderId, string UserId, IReadOnlyList<StockItem> Items);
