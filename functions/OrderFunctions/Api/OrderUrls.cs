namespace Shop.Orders.Api;

public static class OrderUrls
{
    public static string Status(string orderId) => $"/api/orders/{orderId}/status";
}
