using System.Text.Json;
using MongoDB.Driver;
using Shop.Contracts.Events;
using Shop.Contracts.Orders;
using Shop.IntegrationTests.Products;
using Shop.Orders.Api;
using Shop.Orders.Stock;
using Shop.Shared.Http;
using Shop.Shared.Messaging;

namespace Shop.IntegrationTests.Scenarios;

/// <summary>
/// The seam between the apps: OrderFunctions' stock client against ProductFunctions' real reservation functions in
/// process, for every outcome. A reason, a limit or the order-id format changed on one side alone fails here.
/// </summary>
public sealed class StockContractTests
{
    private static async Task<(ProductTestApp Products, HttpStockClient Stock)> StartAsync()
    {
        var products = await ProductTestApp.StartAsync();
        var http = new HttpClient(new InProcessProductsHandler(products)) { BaseAddress = new Uri("http://products.test/api/") };
        http.DefaultRequestHeaders.Add("x-functions-key", "orders-key");
        http.DefaultRequestHeaders.Add("x-internal-key", ProductTestApp.InternalKey);
        return (products, new HttpStockClient(http));
    }

    private static Task<ReservationOutcome> ReserveAsync(HttpStockClient stock, string orderId, params (string ProductId, int Quantity)[] items) =>
        stock.ReserveAsync(orderId, [.. items.Select(i => new StockItem(i.ProductId, i.Quantity))], CancellationToken.None);

    [SkippableFact]
    public async Task Reserved_answers_the_catalogs_names_prices_and_total()
    {
        var (products, stock) = await StartAsync();
        await using var _ = products;
        var kettle = await products.CreateProductAsync(stock: 5, price: 2500, name: "Kettle");

        var outcome = await ReserveAsync(stock, Ids.New(), (kettle.Id, 2));

        Assert.True(outcome.Reserved);
        Assert.Equal(new PricedItem(kettle.Id, 2, "Kettle", 2500, "EUR"), Assert.Single(outcome.Items));
        Assert.Equal((5000L, "EUR"), (outcome.Total, outcome.Currency));
    }

    [SkippableFact]
    public async Task Every_business_rejection_reaches_the_order_as_its_contract_reason()
    {
        var (products, stock) = await StartAsync();
        await using var _ = products;
        var euro = await products.CreateProductAsync(stock: 1);
        var dollarInput = JsonSerializer.SerializeToNode(ProductTestApp.SampleInput(stock: 10))!.AsObject();
        dollarInput["currency"] = "USD";
        var dollar = (await products.CreateAsync(dollarInput)).Json<Shop.Products.Catalog.ProductView>();
        var released = Ids.New();
        await ReserveAsync(stock, released, (dollar.Id, 1));
        await stock.ReleaseAsync(released, CancellationToken.None);
        var reused = Ids.New();
        await ReserveAsync(stock, reused, (dollar.Id, 1));

        var outcomes = new[]
        {
            await ReserveAsync(stock, Ids.New(), (euro.Id, 2)),
            await ReserveAsync(stock, Ids.New(), (Ids.New(), 1)),
            await ReserveAsync(stock, Ids.New(), (euro.Id, 1), (dollar.Id, 1)),
            await ReserveAsync(stock, released, (dollar.Id, 1)),
            await ReserveAsync(stock, reused, (dollar.Id, 2)),
        };

        Assert.All(outcomes, o => Assert.False(o.Reserved));
        Assert.Equal(
            [RejectionReasons.InsufficientStock, RejectionReasons.UnknownProduct, RejectionReasons.MixedCurrencies,
             RejectionReasons.ReservationReleased, RejectionReasons.ReservationMismatch],
            outcomes.Select(o => o.Reason));
        Assert.Equal(RejectionReasons.Business.Order(StringComparer.Ordinal), outcomes.Select(o => o.Reason!).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Released_gives_the_stock_back_and_committed_sells_it_and_refuses_a_release()
    {
        var (products, stock) = await StartAsync();
        await using var _ = products;
        var product = await products.CreateProductAsync(stock: 10);
        var releasedOrder = Ids.New();
        var committedOrder = Ids.New();
        await ReserveAsync(stock, releasedOrder, (product.Id, 2));
        await ReserveAsync(stock, committedOrder, (product.Id, 3));

        await stock.ReleaseAsync(releasedOrder, CancellationToken.None);
        await stock.CommitAsync(committedOrder, CancellationToken.None);
        await stock.CommitAsync(committedOrder, CancellationToken.None);
        var releaseAfterCommit = await Record.ExceptionAsync(() => stock.ReleaseAsync(committedOrder, CancellationToken.None));
        var commitUnknown = await Record.ExceptionAsync(() => stock.CommitAsync(Ids.New(), CancellationToken.None));

        Assert.Contains(RejectionReasons.Committed, Assert.IsType<StockContractException>(releaseAfterCommit).Message, StringComparison.Ordinal);
        Assert.IsType<StockContractException>(commitUnknown);
        var stored = (await products.ReadStoredAsync(product.Id))!;
        Assert.Equal(7, stored.Stock);
        Assert.Empty(stored.ReservedFor);
    }

    [SkippableFact]
    public async Task The_limits_are_the_same_on_both_sides()
    {
        var (products, stock) = await StartAsync();
        await using var _ = products;
        var product = await products.CreateProductAsync(stock: ReservationLimits.MaximumQuantity + ReservationLimits.MaximumItems);
        var mostLines = Enumerable.Repeat((product.Id, 1), ReservationLimits.MaximumItems).ToArray();

        var largest = await ReserveAsync(stock, Ids.New(), (product.Id, ReservationLimits.MaximumQuantity));
        var mostItems = await ReserveAsync(stock, Ids.New(), mostLines);
        var tooMuch = await Record.ExceptionAsync(() => ReserveAsync(stock, Ids.New(), (product.Id, ReservationLimits.MaximumQuantity + 1)));
        var tooMany = await Record.ExceptionAsync(() => ReserveAsync(stock, Ids.New(), [.. mostLines, (product.Id, 1)]));

        Assert.True(largest.Reserved);
        Assert.True(mostItems.Reserved);
        Assert.Contains("400", Assert.IsType<StockContractException>(tooMuch).Message, StringComparison.Ordinal);
        Assert.Contains("400", Assert.IsType<StockContractException>(tooMany).Message, StringComparison.Ordinal);
        Assert.Equal((ReservationLimits.MaximumItems, ReservationLimits.MaximumQuantity), (PlaceOrderRequest.MaxItems, PlaceOrderRequest.MaxQuantity));
    }

    [SkippableFact]
    public async Task The_order_ids_orders_make_are_ids_products_accept_and_the_format_ends_where_the_contract_says()
    {
        var (products, stock) = await StartAsync();
        await using var _ = products;
        var product = await products.CreateProductAsync(stock: 10);
        var derived = OrderPlacement.OrderIdFor(Ids.New(), "key-1");
        var longest = new string('a', OrderIds.MaxLength - 2) + "_-";

        var fromOrders = await ReserveAsync(stock, derived, (product.Id, 1));
        var atTheLimit = await ReserveAsync(stock, longest, (product.Id, 1));
        var tooLong = await Record.ExceptionAsync(() => ReserveAsync(stock, longest + "a", (product.Id, 1)));
        var badCharacter = await Record.ExceptionAsync(() => ReserveAsync(stock, "order.1", (product.Id, 1)));

        Assert.True(OrderIds.IsValid(derived));
        Assert.True(fromOrders.Reserved);
        Assert.True(atTheLimit.Reserved);
        Assert.False(OrderIds.IsValid(longest + "a"));
        Assert.False(OrderIds.IsValid("order.1"));
        Assert.IsType<StockContractException>(tooLong);
        Assert.IsType<StockContractException>(badCharacter);
    }

    [SkippableFact]
    public async Task Product_stock_low_carries_the_contracts_data()
    {
        var (products, stock) = await StartAsync();
        await using var _ = products;
        var product = await products.CreateProductAsync(stock: 6);

        await ReserveAsync(stock, Ids.New(), (product.Id, 2));
        var stored = await products.Host.Get<IMongoDatabase>().GetCollection<OutboxDocument>("outbox")
            .Find(e => e.Type == ProductEventTypes.StockLow).SingleAsync();

        var data = JsonSerializer.Deserialize<StockLowData>(stored.Payload, Shop.Shared.Json.ShopJson.Options)!;
        Assert.Equal((product.Id, product.Sku, 4, 5), (data.ProductId, data.Sku, data.Stock, data.Threshold));
        Assert.Equal(ProductEventTypes.StockLowIdFor(product.Id, 2), stored.Id);
    }
}
