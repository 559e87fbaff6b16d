namespace Shop.Orders.Stock;

/// <summary>
/// ProductFunctions' internal reservations API. Every call is idempotent per order id at the product side. Business
/// outcomes (not enough stock, unknown product) are results; anything transient throws
/// <see cref="StockServiceUnavailableException"/> (or an HttpRequestException) so the caller retries; a broken contract
/// (bad key, bad request) throws <see cref="StockContractException"/>, which no retry can fix.
/// </summary>
public interface IStockClient
{
    Task<ReservationOutcome> ReserveAsync(string orderId, IReadOnlyList<StockItem> items, CancellationToken cancellationToken);

    Task ReleaseAsync(string orderId, CancellationToken cancellationToken);

    Task CommitAsync(string orderId, CancellationToken cancellationToken);
}

public sealed record StockItem(string ProductId, int Quantity);

/// <summary>A line as the catalog priced it at reservation time; unit prices in integer minor units.</summary>
public sealed record PricedItem(string ProductId, int Quantity, string Name, long UnitPrice, string Currency);

public sealed record ReservationOutcome(bool Reserved, string? Reason, IReadOnlyList<PricedItem> Items, long Total, string? Currency)
{
    public static ReservationOutcome Accepted(IReadOnlyList<PricedItem> items, long total, string? currency) => new(true, null, items, total, currency);

    public static ReservationOutcome Rejected(string reason) => new(false, reason, [], 0, null);
}

public sealed class StockServiceUnavailableException(string message) : Exception(message);

public sealed class StockContractException(string message) : Exception(message);
