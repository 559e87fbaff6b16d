using Microsoft.Extensions.DependencyInjection;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Products.Reservations;

namespace Shop.IntegrationTests.Scenarios;

/// <summary>
/// Whole journeys across the three apps in one process, each app with its own database on the real servers: a product
/// made by an admin in ProductFunctions, a customer who signs up and logs in at AuthFunctions, and an order placed with
/// OrderFunctions, whose real HTTP stock client reaches ProductFunctions' real reservation code.
/// </summary>
public sealed class ShopJourneyTests
{
    private sealed record Shop(ProductTestApp Products, AuthTestApp Auth, OrderTestApp Orders, InProcessProductsHandler Network) : IAsyncDisposable
    {
        public static async Task<Shop> OpenAsync()
        {
            var products = await ProductTestApp.StartAsync();
            var auth = await AuthTestApp.StartAsync();
            var network = new InProcessProductsHandler(products);
            var orders = await OrderTestApp.StartAsync(overrides: services =>
                services.AddHttpClient(HttpStockClient.ClientName).ConfigurePrimaryHttpMessageHandler(() => network));
            return new Shop(products, auth, orders, network);
        }

        public async Task<string> NewCustomerAsync() => (await Auth.NewUserAsync()).Tokens.AccessToken;

        public Task<Reservation?> ReservationAsync(string orderId) =>
            Products.Host.Get<ReservationStore>().FindAsync(orderId, CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await Orders.DisposeAsync();
            await Auth.DisposeAsync();
            await Products.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task A_customer_orders_pays_and_receives_and_the_stock_is_sold()
    {
        await using var shop = await Shop.OpenAsync();
        var admin = TestTokens.Admin();
        var product = await shop.Products.CreateProductAsync(stock: 10, price: 1999, name: "Kettle");
        var customer = await shop.NewCustomerAsync();

        var orderId = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 3);
        await shop.Orders.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var whileReserved = (await shop.Products.ReadStoredAsync(product.Id))!;
        Assert.Equal(202, (await shop.Orders.ShipAsync(orderId, admin)).Status);
        await shop.Orders.WaitForStatusAsync(orderId, OrderStatus.Shipped);
        Assert.Equal(202, (await shop.Orders.DeliverAsync(orderId, admin)).Status);
        await shop.Orders.WaitForCompletionAsync(orderId);

        var order = await shop.Orders.GetAsync(orderId, customer);
        var sold = (await shop.Products.ReadStoredAsync(product.Id))!;
        var payment = (await shop.Orders.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!;
        Assert.Equal(200, order.Status);
        Assert.Equal("completed", order.Document.GetProperty("status").GetString());
        Assert.Equal(3 * 1999, order.Document.GetProperty("total").GetInt64());
        Assert.Equal("EUR", order.Document.GetProperty("currency").GetString());
        Assert.Equal(("Kettle", 1999L), (order.Document.GetProperty("items")[0].GetProperty("name").GetString(), order.Document.GetProperty("items")[0].GetProperty("unitPrice").GetInt64()));
        Assert.Equal((7, 1), (whileReserved.Stock, whileReserved.ReservedFor.Count));
        Assert.Equal(7, sold.Stock);
        Assert.Empty(sold.ReservedFor);
        Assert.Equal(ReservationStatus.Committed, (await shop.ReservationAsync(orderId))!.Status);
        Assert.Equal((SandboxPaymentState.Captured, 3 * 1999L), (payment.State, payment.Amount));
        Assert.True(shop.Network.Requests >= 2);
    }

    [SkippableFact]
    public async Task A_declined_payment_gives_the_stock_back()
    {
        await using var shop = await Shop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 5, price: 500);
        var customer = await shop.NewCustomerAsync();

        var orderId = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 2, paymentToken: SandboxPaymentGateway.Decline);
        await shop.Orders.WaitForCompletionAsync(orderId);

        var order = await shop.Orders.GetAsync(orderId, customer);
        var restored = (await shop.Products.ReadStoredAsync(product.Id))!;
        Assert.Equal("paymentFailed", order.Document.GetProperty("status").GetString());
        Assert.Equal("card_declined", order.Document.GetProperty("reason").GetString());
        Assert.Equal(5, restored.Stock);
        Assert.Empty(restored.ReservedFor);
        Assert.Equal(ReservationStatus.Released, (await shop.ReservationAsync(orderId))!.Status);
    }

    [SkippableFact]
    public async Task Ordering_more_than_is_in_stock_is_rejected_and_nothing_is_charged()
    {
        await using var shop = await Shop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 2);
        var customer = await shop.NewCustomerAsync();

        var orderId = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 3);
        await shop.Orders.WaitForCompletionAsync(orderId);

        var order = await shop.Orders.GetAsync(orderId, customer);
        Assert.Equal("rejected", order.Document.GetProperty("status").GetString());
        Assert.Equal("insufficient-stock", order.Document.GetProperty("reason").GetString());
        Assert.Equal(2, (await shop.Products.ReadStoredAsync(product.Id))!.Stock);
        Assert.Null(await shop.Orders.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None));
    }

    [SkippableFact]
    public async Task A_customer_cancels_before_shipping_and_gets_refunded_while_the_stock_returns()
    {
        await using var shop = await Shop.OpenAsync();
        var product = await shop.Products.CreateProductAsync(stock: 4, price: 1250);
        var customer = await shop.NewCustomerAsync();
        var orderId = await shop.Orders.PlaceOrderAsync(customer, product.Id, quantity: 4);
        await shop.Orders.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        Assert.Equal(0, (await shop.Products.ReadStoredAsync(product.Id))!.Stock);

        Assert.Equal(202, (await shop.Orders.CancelAsync(orderId, customer)).Status);
        await shop.Orders.WaitForCompletionAsync(orderId);

        var payment = (await shop.Orders.Host.Get<SandboxPaymentGateway>().FindAsync(orderId, CancellationToken.None))!;
        Assert.Equal(OrderStatus.Cancelled, (await shop.Orders.ReadOrderAsync(orderId))!.Status);
        // Cancelled before shipment: the authorisation is released, nothing was ever captured.
        Assert.Equal(SandboxPaymentState.Cancelled, payment.State);
        Assert.Equal(4, (await shop.Products.ReadStoredAsync(product.Id))!.Stock);
        Assert.Equal(ReservationStatus.Released, (await shop.ReservationAsync(orderId))!.Status);
    }
}
