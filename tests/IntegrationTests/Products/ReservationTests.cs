using Shop.Shared.Http;

namespace Shop.IntegrationTests.Products;

public sealed class ReservationTests
{
    private static object Order(string orderId, params (string ProductId, int Quantity)[] items) =>
        new { orderId, items = items.Select(i => new { productId = i.ProductId, quantity = i.Quantity }).ToArray() };

    [SkippableFact]
    public async Task A_thousand_concurrent_reservations_against_stock_of_a_hundred_never_oversell()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 100);

        var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            app.ReserveAsync(Order(Ids.New(), (product.Id, 1)))));
        var stored = (await app.ReadStoredAsync(product.Id))!;

        Assert.Equal(100, responses.Count(r => r.Status == 200));
        Assert.Equal(900, responses.Count(r => r.Status == 409));
        Assert.Equal(0, stored.Stock);
        Assert.Equal(100, stored.ReservedFor.Count);
        Assert.Equal(101, stored.Version);
    }

    [SkippableFact]
    public async Task A_reservation_returns_catalog_prices_and_names()
    {
        await using var app = await ProductTestApp.StartAsync();
        var kettle = await app.CreateProductAsync(stock: 5, price: 2500, name: "Kettle");
        var cup = await app.CreateProductAsync(stock: 5, price: 300, name: "Cup");

        var response = await app.ReserveAsync(Order("order-1", (kettle.Id, 1), (cup.Id, 2)));

        Assert.Equal(200, response.Status);
        Assert.Equal(3100, response.Document.GetProperty("total").GetInt64());
        Assert.Equal("EUR", response.Document.GetProperty("currency").GetString());
        var names = response.Document.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Order();
        Assert.Equal(["Cup", "Kettle"], names);
    }

    [SkippableFact]
    public async Task Repeating_a_reservation_for_the_same_order_decrements_once_and_returns_the_first_result()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => app.ReserveAsync(Order("order-dup", (product.Id, 3)))));
        var again = await app.ReserveAsync(Order("order-dup", (product.Id, 3)));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(200, again.Status);
        Assert.Single(responses.Select(r => r.Body).Append(again.Body).Distinct());
        Assert.Equal(7, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task The_same_order_id_with_other_items_is_a_conflict()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.ReserveAsync(Order("order-x", (product.Id, 1)));

        var other = await app.ReserveAsync(Order("order-x", (product.Id, 2)));

        Assert.Equal(409, other.Status);
        Assert.EndsWith("reservation-mismatch", other.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(9, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task All_or_nothing_when_a_later_item_is_short_the_earlier_ones_are_given_back()
    {
        await using var app = await ProductTestApp.StartAsync();
        var plenty = await app.CreateProductAsync(stock: 10);
        var scarce = await app.CreateProductAsync(stock: 1);

        var response = await app.ReserveAsync(Order("order-short", (plenty.Id, 2), (scarce.Id, 2)));

        Assert.Equal(409, response.Status);
        Assert.Equal("insufficient-stock", response.Document.GetProperty("reason").GetString());
        Assert.Equal(10, (await app.ReadStoredAsync(plenty.Id))!.Stock);
        Assert.Equal(1, (await app.ReadStoredAsync(scarce.Id))!.Stock);
        Assert.Equal(409, (await app.ReserveAsync(Order("order-short", (plenty.Id, 2), (scarce.Id, 2)))).Status);
    }

    [SkippableFact]
    public async Task A_rejection_is_stored_touches_no_product_and_is_replayed_after_a_restock()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 2);

        var rejected = await app.ReserveAsync(Order("order-too-many", (product.Id, 3)));
        var untouched = (await app.ReadStoredAsync(product.Id))!;
        var restocked = await app.ReplaceAsync(product.Id, ProductTestApp.SampleInput(stock: 50), "\"1\"");
        var replayed = await app.ReserveAsync(Order("order-too-many", (product.Id, 3)));

        Assert.Equal(409, rejected.Status);
        Assert.Equal("insufficient-stock", rejected.Document.GetProperty("reason").GetString());
        Assert.Equal((2, 1L), (untouched.Stock, untouched.Version));
        Assert.Equal(200, restocked.Status);
        Assert.Equal(409, replayed.Status);
        Assert.Equal("insufficient-stock", replayed.Document.GetProperty("reason").GetString());
        Assert.Equal(50, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task Items_in_two_currencies_are_rejected_after_the_takes_and_every_taken_item_is_given_back()
    {
        await using var app = await ProductTestApp.StartAsync();
        var euro = await app.CreateProductAsync(stock: 10);
        var dollarInput = System.Text.Json.JsonSerializer.SerializeToNode(ProductTestApp.SampleInput(stock: 10))!.AsObject();
        dollarInput["currency"] = "USD";
        var dollar = (await app.CreateAsync(dollarInput)).Json<Shop.Products.Catalog.ProductView>();

        var response = await app.ReserveAsync(Order("order-two-currencies", (euro.Id, 2), (dollar.Id, 3)));
        var replay = await app.ReserveAsync(Order("order-two-currencies", (euro.Id, 2), (dollar.Id, 3)));

        Assert.Equal(409, response.Status);
        Assert.Equal("mixed-currencies", response.Document.GetProperty("reason").GetString());
        Assert.Equal((409, "mixed-currencies"), (replay.Status, replay.Document.GetProperty("reason").GetString()));
        foreach (var id in new[] { euro.Id, dollar.Id })
        {
            var stored = (await app.ReadStoredAsync(id))!;
            Assert.Equal(10, stored.Stock);
            Assert.Empty(stored.ReservedFor);
        }
    }

    [SkippableFact]
    public async Task Release_twice_restores_stock_once_and_a_late_reserve_after_release_takes_nothing()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.ReserveAsync(Order("order-r", (product.Id, 4)));

        var first = await app.ReleaseAsync("order-r");
        var second = await app.ReleaseAsync("order-r");
        var lateReserve = await app.ReserveAsync(Order("order-r", (product.Id, 4)));
        var releaseUnknown = await app.ReleaseAsync("order-never-reserved");
        var reserveAfterTombstone = await app.ReserveAsync(Order("order-never-reserved", (product.Id, 1)));

        Assert.Equal((204, 204), (first.Status, second.Status));
        Assert.Equal(409, lateReserve.Status);
        Assert.Equal(204, releaseUnknown.Status);
        Assert.Equal(409, reserveAfterTombstone.Status);
        Assert.Equal(10, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    [SkippableFact]
    public async Task Commit_is_idempotent_keeps_the_stock_sold_and_forbids_a_later_release()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);
        await app.ReserveAsync(Order("order-c", (product.Id, 4)));

        var first = await app.CommitAsync("order-c");
        var second = await app.CommitAsync("order-c");
        var release = await app.ReleaseAsync("order-c");
        var stored = (await app.ReadStoredAsync(product.Id))!;

        Assert.Equal((204, 204), (first.Status, second.Status));
        Assert.Equal(409, release.Status);
        Assert.Equal(6, stored.Stock);
        Assert.Empty(stored.ReservedFor);
    }

    [SkippableFact]
    public async Task Internal_endpoints_refuse_callers_without_the_internal_key()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 10);

        var none = await app.ReserveAsync(Order("order-k", (product.Id, 1)), internalKey: null);
        var wrong = await app.ReserveAsync(Order("order-k", (product.Id, 1)), internalKey: "internal-test-key-0123456789abcdeX");
        var release = await app.ReleaseAsync("order-k", internalKey: "guess");
        var commit = await app.CommitAsync("order-k", internalKey: "");

        Assert.Equal([401, 401, 401, 401], new[] { none.Status, wrong.Status, release.Status, commit.Status });
        Assert.Equal(10, (await app.ReadStoredAsync(product.Id))!.Stock);
    }

    public static TheoryData<string> BadReservations => new()
    {
        """{"orderId":"o1","items":[]}""",
        """{"orderId":"o1","items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":0}]}""",
        """{"orderId":"o1","items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":-3}]}""",
        """{"orderId":"o1","items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":1001}]}""",
        """{"orderId":"o1","items":[{"productId":{"$gt":""},"quantity":1}]}""",
        """{"orderId":"o.1","items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":1}]}""",
        """{"orderId":"$where","items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":1}]}""",
        """{"orderId":"o1","items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":1,"unitPrice":1}]}""",
        """{"orderId":"o1","items":[null]}""",
        """{"items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":1}]}""",
    };

    [SkippableTheory]
    [MemberData(nameof(BadReservations))]
    public async Task Bad_reservation_requests_get_400(string body)
    {
        await using var app = await ProductTestApp.StartAsync();

        var response = await app.ReserveAsync(body);

        Assert.Equal(400, response.Status);
    }

    [SkippableFact]
    public async Task Reserving_an_unknown_product_is_rejected_and_takes_nothing()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 3);

        var response = await app.ReserveAsync(Order("order-u", (product.Id, 1), (Ids.New(), 1)));

        Assert.Equal(409, response.Status);
        Assert.Equal("unknown-product", response.Document.GetProperty("reason").GetString());
        Assert.Equal(3, (await app.ReadStoredAsync(product.Id))!.Stock);
    }
}
