using System.Collections.Concurrent;
using Microsoft.OpenApi;
using Shop.Auth;
using Shop.Orders;
using Shop.Products;
using Shop.Testing.Dispatch;

namespace Shop.IntegrationTests.OpenApi;

/// <summary>
/// Each app's OpenAPI document as its OpenApi function serves it: the app's own DI registrations and the shared worker
/// middleware in process, no server needed (the document touches neither MongoDB nor Redis).
/// </summary>
public static class ServedDocuments
{
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>
    {
        ["AuthFunctions"] = "auth/openapi.json",
        ["ProductFunctions"] = "products/openapi.json",
        ["OrderFunctions"] = "orders/openapi.json",
    };

    private static readonly ConcurrentDictionary<string, Lazy<Task<TestResponse>>> s_documents = new();

    public static TheoryData<string> Apps() => new() { "AuthFunctions", "ProductFunctions", "OrderFunctions" };

    public static Task<TestResponse> FetchAsync(string app) =>
        s_documents.GetOrAdd(app, a => new Lazy<Task<TestResponse>>(() => SendAsync(a, headers: null))).Value;

    public static async Task<TestResponse> SendAsync(string app, IReadOnlyDictionary<string, string>? headers, string? bearer = null)
    {
        var settings = TestTokens.ValidationSettings();
        settings["Orders:ProductsBaseUrl"] = "http://127.0.0.1:9/api/";
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration> addApp = app switch
        {
            "AuthFunctions" => (s, c) => s.AddAuth(c),
            "ProductFunctions" => (s, c) => s.AddProducts(c),
            "OrderFunctions" => (s, c) => s.AddOrders(c),
            _ => throw new ArgumentOutOfRangeException(nameof(app), app, "not an app"),
        };
        await using var host = FunctionTestHost.Create(settings, addApp,
            functionClasses: FunctionDispatcher.FunctionClassesOf(System.Reflection.Assembly.Load(app)));
        return await host.SendAsync("GET", Routes[app], bearer: bearer, headers: headers);
    }

    public static async Task<OpenApiDocument> ParseAsync(string app)
    {
        var (document, diagnostic) = OpenApiDocument.Parse((await FetchAsync(app)).Body, OpenApiConstants.Json);
        Assert.True(diagnostic is not null && diagnostic.Errors.Count == 0,
            $"{app}: " + string.Join("; ", diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? ["no diagnostic"]));
        return document ?? throw new InvalidOperationException($"{app}: the reader returned no document");
    }
}
