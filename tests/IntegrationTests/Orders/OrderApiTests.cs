using Moq;
using Shop.Orders.Documents;
using Shop.Orders.Stock;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Orders;

/// <summary>Reads, authorization and state rules of the order API, through the real middleware.</summary>
public sealed class OrderApiTests
{
    private static readonly string ProductId = Ids.New();

    private readonly CallJournal _journal = new();

    [SkippableFact]
    public async Task Placing_answers_202_with_the_order_id_its_status_url_and_a_Location()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);

        var response = await app.PlaceAsync(OrderTestApp.SampleOrder(ProductId), TestTokens.Customer(), Guid.NewGuid().ToString());
        var orderId = response.Document.GetProperty("orderId").GetString()!;

        Assert.Equal(202, response.Status);
        Assert.True(Ids.IsValid(orderId));
        Assert.Equal("pending", response.Document.GetProperty("status").GetString());
        Assert.Equal($"/api/orders/{orderId}/status", response.Document.GetProperty("statusUrl").GetString());
        Assert.Equal($"/api/orders/{orderId}/status", response.Headers["Location"]);
    }

    [SkippableFact]
    public async Task Owner_and_admin_read_an_order_and_another_customer_gets_404_everywhere()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var owner = TestTokens.Customer();
        var stranger = TestTokens.Customer();
        var admin = TestTokens.Admin();
        var orderId = await app.PlaceOrderAsync(owner, ProductId, quantity: 2);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);

        var byOwner = await app.GetAsync(orderId, owner);
        var byAdmin = await app.GetAsync(orderId, admin);
        var byStranger = await app.GetAsync(orderId, stranger);
        var statusByStranger = await app.StatusAsync(orderId, stranger);
        var cancelByStranger = await app.CancelAsync(orderId, stranger);
        var unknown = await app.GetAsync(Ids.New(), admin);
        var malformed = await app.GetAsync("not-an-id", admin);
        var anonymous = await app.GetAsync(orderId, null);

        Assert.Equal((200, 200), (byOwner.Status, byAdmin.Status));
        Assert.Equal(byOwner.Body, byAdmin.Body);
        Assert.Equal([404, 404, 404, 404, 404], new[] { byStranger.Status, statusByStranger.Status, cancelByStranger.Status, unknown.Status, malformed.Status });
        Assert.Equal(401, anonymous.Status);
        Assert.Equal(OrderStatus.Confirmed, (await app.ReadOrderAsync(orderId))!.Status);
        var history = byOwner.Document.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["pending", "stockReserved", "paid", "confirmed"], history);
        Assert.Equal(2 * Fakes.UnitPrice, byOwner.Document.GetProperty("total").GetInt64());
        Assert.Equal("Kettle", byOwner.Document.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [SkippableFact]
    public async Task The_status_endpoint_shows_the_runtime_status_and_the_current_step()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var owner = TestTokens.Customer();
        var orderId = await app.PlaceOrderAsync(owner, ProductId);

        var status = await app.WaitForStepAsync(orderId, "AwaitingShipment", owner);

        Assert.Equal("Running", status.Document.GetProperty("runtimeStatus").GetString());
        Assert.Equal("confirmed", status.Document.GetProperty("orderStatus").GetString());
        Assert.Equal(orderId, status.Document.GetProperty("orderId").GetString());
    }

    [SkippableFact]
    public async Task Listing_shows_the_callers_own_orders_paged_and_admins_see_all_with_all_true()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var alice = TestTokens.Customer();
        var bob = TestTokens.Customer();
        var admin = TestTokens.Admin();
        for (var i = 0; i < 3; i++)
        {
            await app.PlaceOrderAsync(alice, ProductId, quantity: i + 1);
        }

        await app.PlaceOrderAsync(bob, ProductId);

        var alicePage = await app.ListAsync(alice, "?page=1&pageSize=2");
        var aliceSecond = await app.ListAsync(alice, "?page=2&pageSize=2");
        var bobList = await app.ListAsync(bob);
        var adminOwn = await app.ListAsync(admin);
        var adminAll = await app.ListAsync(admin, "?all=true&pageSize=1000");
        var customerAll = await app.ListAsync(alice, "?all=true");

        Assert.Equal((3, 2), (alicePage.Document.GetProperty("total").GetInt32(), alicePage.Document.GetProperty("items").GetArrayLength()));
        Assert.Equal(1, aliceSecond.Document.GetProperty("items").GetArrayLength());
        Assert.Equal(1, bobList.Document.GetProperty("total").GetInt32());
        Assert.Equal(0, adminOwn.Document.GetProperty("total").GetInt32());
        Assert.Equal(4, adminAll.Document.GetProperty("total").GetInt32());
        Assert.Equal(100, adminAll.Document.GetProperty("pageSize").GetInt32());
        Assert.Equal(403, customerAll.Status);
    }

    [SkippableTheory]
    [InlineData("?page=0")]
    [InlineData("?page=-1")]
    [InlineData("?page=abc")]
    [InlineData("?pageSize=0")]
    [InlineData("?pageSize=1e3")]
    [InlineData("?all=yes")]
    [InlineData("?page=1&page=2")]
    public async Task Bad_list_parameters_get_400(string query)
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);

        var response = await app.ListAsync(TestTokens.Customer(), query);

        Assert.Equal(400, response.Status);
    }

    [SkippableFact]
    public async Task Ship_and_deliver_are_for_admins_only_and_only_in_the_right_state()
    {
        var reserveMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stock = Fakes.Stock(_journal);
        stock.Setup(s => s.ReserveAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StockItem>>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, IReadOnlyList<StockItem> items, CancellationToken _) =>
            {
                await reserveMayFinish.Task;
                return ReservationOutcome.Accepted([.. items.Select(i => new PricedItem(i.ProductId, i.Quantity, "Kettle", 100, "EUR"))], 100, "EUR");
            });
        await using var app = await OrderTestApp.StartAsync(stock.Object);
        var owner = TestTokens.Customer();
        var admin = TestTokens.Admin();
        var orderId = await app.PlaceOrderAsync(owner, ProductId);

        var shipWhilePending = await app.ShipAsync(orderId, admin);
        reserveMayFinish.SetResult();
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var shipByOwner = await app.ShipAsync(orderId, owner);
        var deliverWhileConfirmed = await app.DeliverAsync(orderId, admin);
        var ship = await app.ShipAsync(orderId, admin);
        await app.WaitForStatusAsync(orderId, OrderStatus.Shipped);
        var deliverByOwner = await app.DeliverAsync(orderId, owner);
        var shipAgain = await app.ShipAsync(orderId, admin);
        var deliver = await app.DeliverAsync(orderId, admin);
        await app.WaitForCompletionAsync(orderId);
        var deliverAgain = await app.DeliverAsync(orderId, admin);
        var shipUnknown = await app.ShipAsync(Ids.New(), admin);

        Assert.Equal(409, shipWhilePending.Status);
        Assert.Equal(403, shipByOwner.Status);
        Assert.Equal(409, deliverWhileConfirmed.Status);
        Assert.Equal(202, ship.Status);
        Assert.Equal("ship", ship.Document.GetProperty("requested").GetString());
        Assert.Equal(403, deliverByOwner.Status);
        Assert.Equal(409, shipAgain.Status);
        Assert.Equal(202, deliver.Status);
        Assert.Equal(409, deliverAgain.Status);
        Assert.Equal(404, shipUnknown.Status);
        Assert.Equal(OrderStatus.Completed, (await app.ReadOrderAsync(orderId))!.Status);
    }

    [SkippableFact]
    public async Task Cancelling_a_finished_order_is_409()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal, rejectWith: "insufficient-stock").Object);
        var owner = TestTokens.Customer();
        var orderId = await app.PlaceOrderAsync(owner, ProductId);
        await app.WaitForCompletionAsync(orderId);

        var cancel = await app.CancelAsync(orderId, owner);

        Assert.Equal(409, cancel.Status);
        Assert.EndsWith("order-finished", cancel.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_admin_may_cancel_a_customers_order()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var orderId = await app.PlaceOrderAsync(TestTokens.Customer(), ProductId);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);

        var cancel = await app.CancelAsync(orderId, TestTokens.Admin());
        var order = await app.WaitForStatusAsync(orderId, OrderStatus.Cancelled);

        Assert.Equal(202, cancel.Status);
        Assert.Equal("cancelled-by-admin", order.Reason);
    }
}
