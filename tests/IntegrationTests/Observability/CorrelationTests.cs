using MongoDB.Driver;
using Shop.Shared.Messaging;

namespace Shop.IntegrationTests.Observability;

public sealed class CorrelationTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string TraceParent = "00-" + TraceId + "-00f067aa0ba902b7-01";

    [SkippableFact]
    public async Task The_callers_trace_id_is_the_correlation_id_and_travels_into_the_events_a_request_causes()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 3);

        var response = await app.Host.SendAsync(
            "POST", "internal/reservations",
            new { orderId = "order-traced", items = new[] { new { productId = product.Id, quantity = 1 } } },
            headers: new Dictionary<string, string> { ["x-internal-key"] = ProductTestApp.InternalKey, ["traceparent"] = TraceParent });
        var stockLow = await app.Host.Get<IMongoDatabase>().GetCollection<OutboxDocument>("outbox")
            .Find(e => e.Type == "product.stock_low").SingleAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(TraceId, response.Headers["x-correlation-id"]);
        Assert.NotNull(stockLow.TraceParent);
        Assert.Equal(TraceId, stockLow.TraceParent.Split('-')[1]);
    }

    [SkippableFact]
    public async Task Without_a_caller_trace_each_request_gets_a_fresh_trace_id_of_its_own()
    {
        await using var app = await ProductTestApp.StartAsync();

        var first = await app.ListAsync();
        var second = await app.ListAsync();

        Assert.Matches("^[0-9a-f]{32}$", first.Headers["x-correlation-id"]);
        Assert.NotEqual(first.Headers["x-correlation-id"], second.Headers["x-correlation-id"]);
    }
}
