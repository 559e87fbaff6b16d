using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.Products;
using Shop.Products.Catalog;
using Shop.Products.Reservations;
using Shop.Shared.Mongo;

namespace Shop.IntegrationTests.Products;

/// <summary>ProductFunctions in process against the real servers, in a database and Redis prefix of its own.</summary>
public sealed class ProductTestApp : IAsyncDisposable
{
    public const string InternalKey = "internal-test-key-0123456789abcdef";

    private ProductTestApp(FunctionTestHost host) => Host = host;

    public FunctionTestHost Host { get; }

    public static Task<AppEnvironment> NewEnvironmentAsync() => AppEnvironment.NewAsync("products");

    /// <param name="overrides">Replaces services after the app's own registrations (as in <see cref="FunctionTestHost.Create"/>).</param>
    public static async Task<ProductTestApp> StartAsync(
        AppEnvironment? environment = null, IDictionary<string, string?>? extraSettings = null, Action<IServiceCollection>? overrides = null)
    {
        environment ??= await NewEnvironmentAsync();
        var appSettings = TestTokens.ValidationSettings();
        appSettings["Internal:ApiKeys:0"] = InternalKey;
        var settings = environment.Settings(appSettings, extraSettings);

        var host = FunctionTestHost.Create(settings, (services, configuration) => services.AddProducts(configuration), overrides);
        await host.Get<MongoIndexInitializer>().EnsureAllAsync(CancellationToken.None);
        return new ProductTestApp(host);
    }

    public static object SampleInput(string? sku = null, int stock = 10, long price = 1999, string category = "kitchen", string name = "Kettle") =>
        new { sku = sku ?? "SKU-" + Guid.NewGuid().ToString("N")[..10], name, description = "A kettle", category, price, currency = "EUR", stock };

    public Task<TestResponse> CreateAsync(object body, string? token = null) =>
        Host.SendAsync<ProductFunctions>("POST", "products", (f, r) => f.Create(r), body, token ?? TestTokens.Admin());

    public async Task<ProductView> CreateProductAsync(int stock = 10, long price = 1999, string category = "kitchen", string name = "Kettle")
    {
        var response = await CreateAsync(SampleInput(stock: stock, price: price, category: category, name: name));
        Assert.True(response.Status == 201, response.ToString());
        return response.Json<ProductView>();
    }

    public Task<TestResponse> GetAsync(string id, string? token = null) =>
        Host.SendAsync<ProductFunctions>("GET", $"products/{id}", (f, r) => f.Get(r, id), bearer: token);

    public Task<TestResponse> ListAsync(string query = "") =>
        Host.SendAsync<ProductFunctions>("GET", "products" + query, (f, r) => f.List(r));

    public Task<TestResponse> ReplaceAsync(string id, object body, string? ifMatch, string? token = null) =>
        Host.SendAsync<ProductFunctions>("PUT", $"products/{id}", (f, r) => f.Replace(r, id), body, token ?? TestTokens.Admin(), IfMatch(ifMatch));

    public Task<TestResponse> DeleteAsync(string id, string? ifMatch, string? token = null) =>
        Host.SendAsync<ProductFunctions>("DELETE", $"products/{id}", (f, r) => f.Delete(r, id), null, token ?? TestTokens.Admin(), IfMatch(ifMatch));

    public Task<TestResponse> ReserveAsync(object body, string? internalKey = InternalKey) =>
        Host.SendAsync<ReservationFunctions>("POST", "internal/reservations", (f, r) => f.Reserve(r), body, headers: InternalHeaders(internalKey));

    public Task<TestResponse> ReleaseAsync(string orderId, string? internalKey = InternalKey) =>
        Host.SendAsync<ReservationFunctions>("DELETE", $"internal/reservations/{orderId}", (f, r) => f.Release(r, orderId), headers: InternalHeaders(internalKey));

    public Task<TestResponse> CommitAsync(string orderId, string? internalKey = InternalKey) =>
        Host.SendAsync<ReservationFunctions>("POST", $"internal/reservations/{orderId}/commit", (f, r) => f.Commit(r, orderId), headers: InternalHeaders(internalKey));

    public Task<Product?> ReadStoredAsync(string id) => Host.Get<CatalogStore>().FindAsync(id, CancellationToken.None);

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static Dictionary<string, string> IfMatch(string? value) =>
        value is null ? [] : new Dictionary<string, string> { ["If-Match"] = value };

    private static Dictionary<string, string> InternalHeaders(string? key) =>
        key is null ? [] : new Dictionary<string, string> { ["x-internal-key"] = key };
}
