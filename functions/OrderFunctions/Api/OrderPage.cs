namespace Shop.Orders.Api;

public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, int Page, int PageSize, long Total);
