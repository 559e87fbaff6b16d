using MongoDB.Driver;
using Shop.Products.Reservations;
using Shop.Shared.Messaging;

namespace Shop.IntegrationTests.Products;

public sealed class ReservationRecoveryTests
{
    [SkippableFact]
    public async Task A_reservation_left_half_done_by_a_crash_is_resumed_after_its_lease_and_takes_stock_once()
    {
        await using var app = await ProductTestApp.StartAsync();
        var first = await app.CreateProductAsync(stock: 10);
        var second = await app.CreateProductAsync(stock: 10);
        var ledger = app.Host.Get<StockLedger>();
        var requested = new[] { new RequestedItem(first.Id, 2), new RequestedItem(second.Id, 3) }.OrderBy(i => i.ProductId, StringComparer.Ordinal).ToArray();
        // The crashed worker inserted the reservation and took the first item, then died before the second.
        await InsertExpiredPendingAsync(app, "order-crashed", requested);
        await ledger.TryTakeAsync(requested[0].ProductId, "order-crashed", requested[0].Quantity, CancellationToken.None);

        var retry = await app.ReserveAsync(new
        {
            orderId = "order-crashed",
            items = new[] { new { productId = first.Id, quantity = 2 }, new { productId = second.Id, quantity = 3 } },
        });

        Assert.Equal(200, retry.Status);
        Assert.Equal(8, (await app.ReadStoredAsync(first.Id))!.Stock);
        Assert.Equal(7, (await app.ReadStoredAsync(second.Id))!.Stock);
    }

    [SkippableFact]
    public async Task A_resumed_reservation_that_meets_short_stock_gives_back_what_the_crashed_attempt_took()
    {
        await using var app = await ProductTestApp.StartAsync();
        var plenty = await app.CreateProductAsync(stock: 10);
        var scarce = await app.CreateProductAsync(stock: 5);
        var requested = new[] { new RequestedItem(plenty.Id, 2), new RequestedItem(scarce.Id, 3) }.OrderBy(i => i.ProductId, StringComparer.Ordinal).ToArray();
        await InsertExpiredPendingAsync(app, "order-crashed-short", requested);
        // The crashed attempt took the plentiful item; meanwhile another order bought most of the scarce one.
        await app.Host.Get<StockLedger>().TryTakeAsync(plenty.Id, "order-crashed-short", 2, CancellationToken.None);
        await app.Host.Get<StockLedger>().TryTakeAsync(scarce.Id, "order-other", 4, CancellationToken.None);
        var body = new
        {
            orderId = "order-crashed-short",
            items = new[] { new { productId = plenty.Id, quantity = 2 }, new { productId = scarce.Id, quantity = 3 } },
        };

        var retry = await app.ReserveAsync(body);
        var again = await app.ReserveAsync(body);

        Assert.Equal(409, retry.Status);
        Assert.Equal("insufficient-stock", retry.Document.GetProperty("reason").GetString());
        Assert.Equal(scarce.Id, retry.Document.GetProperty("productId").GetString());
        Assert.Equal((409, "insufficient-stock"), (again.Status, again.Document.GetProperty("reason").GetString()));
        var storedPlenty = (await app.ReadStoredAsync(plenty.Id))!;
        Assert.Equal(10, storedPlenty.Stock);
        Assert.Empty(storedPlenty.ReservedFor);
        Assert.Equal(1, (await app.ReadStoredAsync(scarce.Id))!.Stock);
    }

    [SkippableFact]
    public async Task A_reservation_that_leaves_little_stock_puts_product_stock_low_in_the_outbox_once()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 6);

        await app.ReserveAsync(new { orderId = "order-low", items = new[] { new { productId = product.Id, quantity = 2 } } });
        await app.ReserveAsync(new { orderId = "order-low", items = new[] { new { productId = product.Id, quantity = 2 } } });
        var outbox = app.Host.Get<IMongoDatabase>().GetCollection<OutboxDocument>("outbox");
        var events = await outbox.Find(Builders<OutboxDocument>.Filter.Empty).ToListAsync();

        var stockLow = Assert.Single(events);
        Assert.Equal("product.stock_low", stockLow.Type);
        Assert.Contains(product.Id, stockLow.Payload, StringComparison.Ordinal);
    }

    /// <summary>What a worker that crashed mid-reservation leaves: a Pending reservation whose lease has run out.</summary>
    private static Task InsertExpiredPendingAsync(ProductTestApp app, string orderId, RequestedItem[] requested) =>
        app.Host.Get<IMongoDatabase>().GetCollection<Reservation>(ReservationStore.CollectionName).InsertOneAsync(new Reservation
        {
            OrderId = orderId,
            Status = ReservationStatus.Pending,
            RequestHash = ReservationService.HashOf(requested),
            Requested = requested,
            LockedUntil = DateTime.UtcNow.AddSeconds(-1),
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        });
}
