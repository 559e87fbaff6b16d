namespace Shop.Contracts.Events;

/// <summary>The routing keys ProductFunctions publishes to the <c>shop.events</c> exchange.</summary>
public static class ProductEventTypes
{
    public const string StockLow = "product.stock_low";

    /// <summary>One event per product version, so a retried reservation stores it once.</summary>
    public static string StockLowIdFor(string productId, long version) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{productId}:{StockLow}:{version}");
}
