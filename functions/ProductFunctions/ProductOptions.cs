namespace Shop.Products;

/// <summary>Section <c>Products</c>.</summary>
public sealed class ProductOptions
{
    public const string Section = "Products";

    /// <summary>product.stock_low is published when a reservation leaves less than this in stock.</summary>
    public int LowStockThreshold { get; set; } = 5;

    /// <summary>How long one worker may hold a Pending reservation before another may take it over.</summary>
    public TimeSpan ReservationLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a concurrent duplicate waits for the first attempt's result before answering 409.</summary>
    public TimeSpan DuplicateWait { get; set; } = TimeSpan.FromSeconds(10);
}
