using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using Shop.Auth;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders;
using Shop.Products;

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
        return app switch
        {
            "AuthFunctions" => await Send<Shop.Auth.OpenApiFunction>(
                FunctionTestHost.Create(settings, (s, c) => s.AddAuth(c)), Routes[app], f => f.Document, headers, bearer),
            "ProductFunctions" => await Send<Shop.Products.OpenApiFunction>(
                FunctionTestHost.Create(settings, (s, c) => s.AddProducts(c)), Routes[app], f => f.Document, headers, bearer),
            "OrderFunctions" => await Send<Shop.Orders.OpenApiFunction>(
                FunctionTestHost.Create(settings, (s, c) => s.AddOrders(c)), Routes[app], f => f.Document, headers, bearer),
            _ => throw new ArgumentOutOfRangeException(nameof(app), app, "not an app"),
        };
    }

    public static async Task<OpenApiDocument> ParseAsync(string app)
    {
        var (document, diagnostic) = OpenApiDocument.Parse((await FetchAsync(app)).Body, OpenApiConstants.Json);
        Assert.True(diagnostic is not null && diagnostic.Errors.Count == 0,
            $"{app}: " + string.Join("; ", diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}") ?? ["no diagnostic"]));
        return document ?? throw new InvalidOperationException($"{app}: the reader returned no document");
    }

    private static async Task<TestResponse> Send<TFunction>(
        FunctionTestHost host, string route, Func<TFunction, Func<HttpRequest, IActionResult>> function,
        IReadOnlyDictionary<string, string>? headers, string? bearer)
        where TFunction : class
    {
        await using (host)
        {
            return await host.SendAsync<TFunction>("GET", route, (f, r) => Task.FromResult(function(f)(r)), bearer: bearer, headers: headers);
        }
    }
}
