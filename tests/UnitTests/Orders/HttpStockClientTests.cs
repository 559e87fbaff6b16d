using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Orders;
using Shop.Orders.Stock;
using Shop.Shared.Security;

namespace Shop.UnitTests.Orders;

public sealed class HttpStockClientTests
{
    private const string ReservedBody = """
        {"orderId":"o1","status":"reserved","items":[{"productId":"p1","quantity":2,"name":"Kettle","unitPrice":1999,"currency":"EUR"}],
         "total":3998,"currency":"EUR","addedLater":true}
        """;

    private static HttpStockClient ClientFor(StubHandler handler) => new(new HttpClient(handler) { BaseAddress = new Uri("http://products.test/api/") });

    private static HttpResponseMessage Problem(HttpStatusCode status, string reason) =>
        new(status) { Content = new StringContent($$"""{"type":"https://shop.example/problems/{{reason}}","status":{{(int)status}},"reason":"{{reason}}"}""", Encoding.UTF8, "application/problem+json") };

    [Fact]
    public async Task A_reservation_maps_catalog_names_and_prices_and_tolerates_new_fields()
    {
        var handler = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ReservedBody, Encoding.UTF8, "application/json") });

        var outcome = await ClientFor(handler).ReserveAsync("o1", [new StockItem("p1", 2)], CancellationToken.None);

        Assert.True(outcome.Reserved);
        Assert.Equal((3998L, "EUR"), (outcome.Total, outcome.Currency));
        Assert.Equal(new PricedItem("p1", 2, "Kettle", 1999, "EUR"), Assert.Single(outcome.Items));
        Assert.Equal("http://products.test/api/internal/reservations", handler.Requests.Single().Uri);
        Assert.Equal("""{"orderId":"o1","items":[{"productId":"p1","quantity":2}]}""", handler.Requests.Single().Body);
    }

    [Theory]
    [InlineData("insufficient-stock")]
    [InlineData("unknown-product")]
    [InlineData("reservation-released")]
    public async Task Business_conflicts_are_rejections_not_errors(string reason)
    {
        var outcome = await ClientFor(new StubHandler(_ => Problem(HttpStatusCode.Conflict, reason))).ReserveAsync("o1", [new StockItem("p1", 1)], CancellationToken.None);

        Assert.Equal((false, reason), (outcome.Reserved, outcome.Reason));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "x", typeof(StockServiceUnavailableException))]
    [InlineData(HttpStatusCode.TooManyRequests, "x", typeof(StockServiceUnavailableException))]
    [InlineData(HttpStatusCode.Conflict, "reservation-in-progress", typeof(StockServiceUnavailableException))]
    [InlineData(HttpStatusCode.Unauthorized, "unauthorized", typeof(StockContractException))]
    [InlineData(HttpStatusCode.BadRequest, "validation", typeof(StockContractException))]
    [InlineData(HttpStatusCode.Conflict, "reservation-committed", typeof(StockContractException))]
    public async Task Failures_are_transient_or_permanent_by_status_and_reason(HttpStatusCode status, string reason, Type expected)
    {
        var client = ClientFor(new StubHandler(_ => Problem(status, reason)));

        var exception = await Record.ExceptionAsync(() => client.ReleaseAsync("o1", CancellationToken.None));

        Assert.IsType(expected, exception);
    }

    [Fact]
    public async Task The_registered_client_sends_both_keys_and_retries_a_503()
    {
        var handler = new StubHandler(n => n == 1
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : new HttpResponseMessage(HttpStatusCode.NoContent));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orders:ProductsBaseUrl"] = "http://products.test/api",
            ["Orders:ProductsFunctionKey"] = "function-key",
            ["Internal:OutgoingApiKey"] = "internal-key-0123456789",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<InternalApiOptions>().Bind(configuration.GetSection(InternalApiOptions.Section));
        services.AddOrders(configuration);
        services.AddHttpClient(HttpStockClient.ClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IStockClient>().CommitAsync("o1", CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("http://products.test/api/internal/reservations/o1/commit", r.Uri));
        Assert.All(handler.Requests, r => Assert.Equal(("function-key", "internal-key-0123456789"), (r.Headers["x-functions-key"], r.Headers["x-internal-key"])));
    }

    private sealed record SeenRequest(string Uri, string Body, IReadOnlyDictionary<string, string> Headers);

    private sealed class StubHandler(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add(new SeenRequest(
                    request.RequestUri!.ToString(),
                    body,
                    request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
                return respond(Requests.Count);
            }
        }
    }
}
