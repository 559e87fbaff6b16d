using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Orders.Stock;
using Shop.Shared.Messaging;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// The three apps wired as in production (OrderFunctions' real stock client reaches ProductFunctions' real reservations
/// over <see cref="Link"/>, which a test can cut).
/// </summary>
internal sealed record FaultShop(ProductTestApp Products, AuthTestApp Auth, OrderTestApp Orders, AppEnvironment ProductEnvironment, CuttableLink Link)
    : IAsyncDisposable
{
    public static async Task<FaultShop> OpenAsync(IDictionary<string, string?>? orderSettings = null)
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        var products = await ProductTestApp.StartAsync(environment);
        var auth = await AuthTestApp.StartAsync();
        var link = new CuttableLink(new InProcessProductsHandler(products));
        var orders = await OrderTestApp.StartAsync(extraSettings: orderSettings, overrides: services =>
            services.AddHttpClient(HttpStockClient.ClientName).ConfigurePrimaryHttpMessageHandler(() => link));
        return new FaultShop(products, auth, orders, environment, link);
    }

    /// <summary>Each order's outbox events by type: every transition once, none twice.</summary>
    public async Task<Dictionary<string, int>> OutboxCountsAsync(string orderId)
    {
        var documents = await Orders.Collection<BsonDocument>(MongoOutbox.CollectionName)
            .Find(Builders<BsonDocument>.Filter.Regex("_id", new BsonRegularExpression("^" + orderId + ":"))).ToListAsync();
        return documents.GroupBy(d => d["type"].AsString).ToDictionary(g => g.Key, g => g.Count());
    }

    public async ValueTask DisposeAsync()
    {
        await Orders.DisposeAsync();
        await Auth.DisposeAsync();
        await Products.DisposeAsync();
    }
}
