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
