using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Products.Reservations;

namespace Shop.IntegrationTests.Products;

/// <summary>
/// A Pending (several-item) reservation is claimed with a lease: a duplicate waits for it and gives up while the lease
/// lives, a release takes the lease only once it ran out, and documents stored before the lease had a token resume.
/// </summary>
public sealed class ReservationLeaseTests
{
    [SkippableFact]
    public async Task A_duplicate_of_a_reservation_whose_lease_lives_gets_409_in_progress_and_takes_nothing()
    {
        await using var app = await ProductTestApp.StartAsync(extraSettings: new Dictionary<string, string?> { ["Products:DuplicateWait"] = "00:00:00.200" });
        var (first, second, requested) = await TwoProductsAsync(app);
        await InsertPendingAsync(app, "order-live-lease", requested, DateTime.UtcNow.AddMinutes(5));

        var duplicate = await app.ReserveAsync(Order("order-live-lease", requested));

        Assert.Equal((409, RejectionReasons.InProgress), (duplicate.Status, duplicate.Document.GetProperty("reason").GetString()));
        Assert.Equal((10, 10), ((await app.ReadStoredAsync(first))!.Stock, (await app.ReadStoredAsync(second))!.Stock));
    }

    [SkippableFact]
    public async Task A_release_of_a_reservation_whose_lease_lives_gets_409_in_progress_and_keeps_it_pending()
    {
        await using var app = await ProductTestApp.StartAsync();
        var (_, _, requested) = await TwoProductsAsync(app);
        await InsertPendingAsync(app, "order-release-live", requested, DateTime.UtcNow.AddMinutes(5));

        var release = await app.ReleaseAsync("order-release-live");

        Assert.Equal((409, RejectionReasons.InProgress), (release.Status, release.Document.GetProperty("reason").GetString()));
        Assert.Equal(ReservationStatus.Pending, (await app.Host.Get<ReservationStore>().FindAsync("order-release-live", CancellationToken.None))!.Status);
    }

    [SkippableFact]
    public async Task A_release_of_a_reservation_whose_lease_ran_out_takes_the_lease_and_gives_back_what_the_crashed_attempt_took()
    {
        await using var app = await ProductTestApp.StartAsync();
        var (first, second, requested) = await TwoProductsAsync(app);
        await InsertPendingAsync(app, "order-release-expired", requested, DateTime.UtcNow.AddSeconds(-1));
        await app.Host.Get<StockLedger>().TryTakeAsync(requested[0].ProductId, "order-release-expired", requested[0].Quantity, CancellationToken.None);

        var release = await app.ReleaseAsync("order-release-expired");
        var lateReserve = await app.ReserveAsync(Order("order-release-expired", requested));

        Assert.Equal(204, release.Status);
        Assert.Equal((409, RejectionReasons.ReservationReleased), (lateReserve.Status, lateReserve.Document.GetProperty("reason").GetString()));
        Assert.Equal((10, 10), ((await app.ReadStoredAsync(first))!.Stock, (await app.ReadStoredAsync(second))!.Stock));
        Assert.Equal(ReservationStatus.Released, (await app.Host.Get<ReservationStore>().FindAsync("order-release-expired", CancellationToken.None))!.Status);
    }

    [SkippableFact]
    public async Task A_pending_reservation_stored_without_a_lock_token_is_resumed_after_its_lease_and_takes_stock_once()
    {
        await using var app = await ProductTestApp.StartAsync();
        var (first, second, requested) = await TwoProductsAsync(app);
        var stored = Pending("order-stored-before-tokens", requested, DateTime.UtcNow.AddSeconds(-1)).ToBsonDocument();
        stored.Remove("lockToken");
        await app.Host.Get<IMongoDatabase>().GetCollection<BsonDocument>(ReservationStore.CollectionName).InsertOneAsync(stored);
        await app.Host.Get<StockLedger>().TryTakeAsync(requested[0].ProductId, "order-stored-before-tokens", requested[0].Quantity, CancellationToken.None);

        var retry = await app.ReserveAsync(Order("order-stored-before-tokens", requested));

        Assert.Equal((200, "reserved"), (retry.Status, retry.Document.GetProperty("status").GetString()));
        Assert.Equal((8, 7), ((await app.ReadStoredAsync(first))!.Stock, (await app.ReadStoredAsync(second))!.Stock));
    }

    private static async Task<(string First, string Second, RequestedItem[] Requested)> TwoProductsAsync(ProductTestApp app)
    {
        var first = await app.CreateProductAsync(stock: 10);
        var second = await app.CreateProductAsync(stock: 10);
        var requested = new[] { new RequestedItem(first.Id, 2), new RequestedItem(second.Id, 3) }.OrderBy(i => i.ProductId, StringComparer.Ordinal).ToArray();
        return (first.Id, second.Id, requested);
    }

    private static object Order(string orderId, RequestedItem[] requested) =>
        new { orderId, items = requested.Select(i => new { productId = i.ProductId, quantity = i.Quantity }) };

    /// <summary>What an attempt working on the reservation (or one that crashed) leaves: Pending, leased until then.</summary>
    private static Task InsertPendingAsync(ProductTestApp app, string orderId, RequestedItem[] requested, DateTime lockedUntil) =>
        app.Host.Get<IMongoDatabase>().GetCollection<Reservation>(ReservationStore.CollectionName).InsertOneAsync(Pending(orderId, requested, lockedUntil));

    private static Reservation Pending(string orderId, RequestedItem[] requested, DateTime lockedUntil) => new()
    {
        OrderId = orderId,
        Status = ReservationStatus.Pending,
        RequestHash = ReservationService.HashOf(requested),
        Requested = requested,
        LockToken = "crashed-attempt",
        LockedUntil = lockedUntil,
        CreatedAt = DateTime.UtcNow,
        UpdatedAt = DateTime.UtcNow,
    };
}
