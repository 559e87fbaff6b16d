using Shop.Orders.Stock;

namespace Shop.Orders.Workflow.V1;

public sealed record ReserveStockInput(string OrderId, IReadOnlyList<StockItem> Items);
