using Microsoft.Extensions.DependencyInjection;
using Shop.Products.Catalog;
using Shop.Products.Reservations;
using Shop.Shared.Http;
using Shop.Shared.Mongo;
using Shop.Testing.Mongo;

namespace Shop.IntegrationTests.Products;

/// <summary>
/// MongoDB round trips per one-item reservation, counted from the driver's command events (at most 2 on the success
/// path), and the crash windows of the two-step path: a take whose reservation was never written.
/// </summary>
public sealed class ReservationRoundTripTests
{
    private static object Order(string orderId, string productId, int quantity) =>
        new { orderId, items = new[] { new { productId, quantity } } };

    private static async Task<(ProductTestApp App, MongoCommandCounter Counter)> StartCountingAsync()
    {
        var counter = new MongoCommandCounter(CatalogStore.CollectionName, ReservationStore.CollectionName);
        var app = await ProductTestApp.StartAsync(overrides: services => services.AddSingleton<IConfigureMongoClient>(counter));
        return (app, counter);
    }

    [SkippableFact]
    public async Task A_one_item_reservation_takes_two_round_trips_the_take_and_the_reservation()
    {
        var (app, counter) = await StartCountingAsync();
        await using var _ = app;
        var product = await app.CreateProductAsync(stock: 10);

        TestResponse? response = null;
        var commands = await counter.CountAsync(async () => response = await app.ReserveAsync(Order(Ids.New(), product.Id, 2)));

        Assert.Equal(200, response!.Status);
        Assert.Equal(["findAndModify products", "insert reservations"], commands.Select(c => c.ToString()));
        Assert.Equal(8, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task Plain_short_stock_takes_two_round_trips_and_changes_no_product()
    {
        var (app, counter) = await StartCountingAsync();
        await using var _ = app;
        var product = await app.CreateProductAsync(stock: 1);

        TestResponse? response = null;
        var commands = await counter.CountAsync(async () => response = await app.ReserveAsync(Order(Ids.New(), product.Id, 2)));
        var stored = (await app.ReadStoredAsync(product.Id))!;

        Assert.Equal((409, "insufficient-stock"), (response!.Status, response.Document.GetProperty("reason").GetString()));
        Assert.Equal(["findAndModify products", "insert reservations"], commands.Select(c => c.ToString()));
        Assert.Equal((1, 1L), (stored.Stock, stored.Version));
    }

    [SkippableFact]
    public async Task An_unknown_product_takes_two_round_trips()
    {
        var (app, counter) = await StartCountingAsync();
        await using var _ = app;

        TestResponse? response = null;
        var commands = await counter.CountAsync(async () => response = await app.ReserveAsync(Order(Ids.New(), Ids.New(), 1)));

        Assert.Equal((409, "unknown-product"), (response!.Status, response.Document.GetProperty("reason").GetString()));
        Assert.Equal(["findAndModify products", "insert reservations"], commands.Select(c => c.ToString()));
    }

    [SkippableFact]
    public async Task An_idempotent_repeat_takes_two_round_trips_and_answers_the_first_result()
    {
        var (app, counter) = await StartCountingAsync();
        await using var _ = app;
        var product = await app.CreateProductAsync(stock: 10);
        var orderId = Ids.New();
        var first = await app.ReserveAsync(Order(orderId, product.Id, 3));

        TestResponse? repeat = null;
        var commands = await counter.CountAsync(async () => repeat = await app.ReserveAsync(Order(orderId, product.Id, 3)));

        Assert.Equal((200, first.Body), (repeat!.Status, repeat.Body));
        Assert.Equal(["findAndModify products", "find reservations"], commands.Select(c => c.ToString()));
        Assert.Equal(7, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task A_retry_after_a_take_whose_reservation_was_never_written_reserves_it_once()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        // The crashed attempt's take: the product holds the order's marker, no reservation exists.
        await app.Host.Get<StockLedger>().TakeAsync(product.Id, "order-took-then-died", 4, CancellationToken.None);

        var retry = await app.ReserveAsync(Order("order-took-then-died", product.Id, 4));
        var commit = await app.CommitAsync("order-took-then-died");

        Assert.Equal(200, retry.Status);
        Assert.Equal(4, retry.Document.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(204, commit.Status);
        var stored = (await app.ReadStoredAsync(product.Id))!;
        Assert.Equal(6, stored.Stock);
        Assert.Empty(stored.ReservedFor);
    }

    [SkippableFact]
    public async Task A_release_after_a_take_whose_reservation_was_never_written_gives_the_stock_back_and_a_late_reserve_takes_nothing()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.Host.Get<StockLedger>().TakeAsync(product.Id, "order-released-after-crash", 4, CancellationToken.None);

        var release = await app.ReleaseAsync("order-released-after-crash");
        var lateReserve = await app.ReserveAsync(Order("order-released-after-crash", product.Id, 4));

        Assert.Equal(204, release.Status);
        // A tombstone names no items, so a late reserve meets a different request: 409 reservation-mismatch, as before.
        Assert.Equal((409, "reservation-mismatch"), (lateReserve.Status, lateReserve.Document.GetProperty("reason").GetString()));
        var stored = (await app.ReadStoredAsync(product.Id))!;
        Assert.Equal(10, stored.Stock);
        Assert.Empty(stored.ReservedFor);
    }

    [SkippableFact]
    public async Task A_repeat_after_commit_answers_the_committed_reservation_and_keeps_no_second_take()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.ReserveAsync(Order("order-committed-repeat", product.Id, 2));
        await app.CommitAsync("order-committed-repeat");

        var repeat = await app.ReserveAsync(Order("order-committed-repeat", product.Id, 2));

        Assert.Equal((200, "committed"), (repeat.Status, repeat.Document.GetProperty("status").GetString()));
        var stored = (await app.ReadStoredAsync(product.Id))!;
        Assert.Equal(8, stored.Stock);
        Assert.Empty(stored.ReservedFor);
    }

    [SkippableFact]
    public async Task A_held_marker_for_another_quantity_is_a_mismatch_and_takes_nothing_more()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.Host.Get<StockLedger>().TakeAsync(product.Id, "order-other-quantity", 3, CancellationToken.None);

        var other = await app.ReserveAsync(Order("order-other-quantity", product.Id, 5));

        Assert.Equal((409, "reservation-mismatch"), (other.Status, other.Document.GetProperty("reason").GetString()));
        Assert.Equal(7, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task A_take_left_behind_a_release_tombstone_is_given_back_by_the_next_attempt()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.ReleaseAsync("order-behind-tombstone");
        // A late attempt took after the release and stopped before it could see the tombstone and give the stock back.
        await app.Host.Get<StockLedger>().TakeAsync(product.Id, "order-behind-tombstone", 4, CancellationToken.None);

        var retry = await app.ReserveAsync(Order("order-behind-tombstone", product.Id, 4));

        Assert.Equal(409, retry.Status);
        var stored = (await app.ReadStoredAsync(product.Id))!;
        Assert.Equal(10, stored.Stock);
        Assert.Empty(stored.ReservedFor);
    }
}
