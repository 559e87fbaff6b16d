using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Shop.Auth;
using Shop.IntegrationTests.Infrastructure;
using Shop.Shared.Messaging;
using Shop.Shared.Observability;
using Shop.Testing.Gateway;

namespace Shop.IntegrationTests.Gateway;

/// <summary>
/// Function keys over a real socket as the Functions host enforces them, per app and key kind, with the key files compose
/// uses; anonymous functions; misses; and OrderFunctions reaching ProductFunctions through the gateway.
/// </summary>
public sealed class ShopGatewayTests(ShopGatewayFixture fixture) : IClassFixture<ShopGatewayFixture>
{
    private static readonly ActivitySource s_client = new("Shop.Tests.Client");

    private static readonly FunctionKeys s_auth = ComposeKeys("auth");
    private static readonly FunctionKeys s_products = ComposeKeys("products");
    private static readonly FunctionKeys s_orders = ComposeKeys("orders");

    public static TheoryData<string, string, string?, HttpStatusCode> KeyCases() => new()
    {
        { "products default key", "api/products", s_products.ByName["default"], HttpStatusCode.OK },
        { "products' named key for orders", "api/products", s_products.ByName["orders"], HttpStatusCode.OK },
        { "products master key", "api/products", s_products.MasterKey, HttpStatusCode.OK },
        { "no key", "api/products", null, HttpStatusCode.Unauthorized },
        { "wrong key", "api/products", "not-a-key-of-any-app-0000000000000000", HttpStatusCode.Unauthorized },
        { "the key with a suffix", "api/products", s_products.ByName["default"] + "x", HttpStatusCode.Unauthorized },
        { "auth's key on products", "api/products", s_auth.ByName["default"], HttpStatusCode.Unauthorized },
        { "orders' master key on products", "api/products", s_orders.MasterKey, HttpStatusCode.Unauthorized },
        { "products' key on orders", "api/orders", s_products.ByName["default"], HttpStatusCode.Unauthorized },
        { "orders default key, no token", "api/orders", s_orders.ByName["default"], HttpStatusCode.Unauthorized },
        { "auth default key, no token", "api/auth/me", s_auth.ByName["default"], HttpStatusCode.Unauthorized },
    };

    [SkippableTheory]
    [MemberData(nameof(KeyCases))]
    public async Task The_function_key_decides_before_the_function_runs(string why, string path, string? key, HttpStatusCode expected)
    {
        using var client = await ClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add(FunctionKeys.HeaderName, key);
        }

        using var response = await client.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{why}: {(int)response.StatusCode}");
    }

    [SkippableFact]
    public async Task A_refused_key_gets_the_hosts_bare_401_and_a_missing_token_gets_the_apps_problem()
    {
        using var client = await ClientAsync();

        using var noKey = await client.GetAsync("api/orders");
        using var noToken = await client.GetAsync("api/orders?code=" + s_orders.ByName["default"]);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Empty(await noKey.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal("application/problem+json", noToken.Content.Headers.ContentType?.MediaType);
    }

    [SkippableTheory]
    [InlineData("api/products?code=", "products")]
    [InlineData("api/auth/jwks?code=", "auth")]
    public async Task The_key_also_works_as_the_code_query_parameter(string pathWithCode, string app)
    {
        using var client = await ClientAsync();

        using var response = await client.GetAsync(pathWithCode + ComposeKeys(app).ByName["default"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData("api/auth/jwks")]
    [InlineData("health/auth")]
    [InlineData("health/products")]
    [InlineData("health/orders")]
    [InlineData("health/auth/live")]
    [InlineData("health/orders/live")]
    public async Task Anonymous_functions_answer_without_a_key(string path)
    {
        using var client = await ClientAsync();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData("api/nothing-here")]
    [InlineData("api/health")] // every app declares it: which one is meant is said by /health/{app}
    [InlineData("health/billing")]
    [InlineData("api/products/x/y/z")]
    public async Task A_path_no_app_serves_is_a_plain_404(string path)
    {
        using var client = await ClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(FunctionKeys.HeaderName, s_products.ByName["default"]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [SkippableFact]
    public async Task An_order_placed_through_the_gateway_reserves_stock_through_it_and_completes()
    {
        using var client = await ClientAsync();
        var admin = await SignedUpAsync(client, grantAdmin: true);
        var customer = await SignedUpAsync(client, grantAdmin: false);
        var productId = await CreateProductAsync(client, admin, stock: 5);

        var orderId = await PlaceOrderAsync(client, customer, productId, quantity: 2);

        await WaitUntilConfirmedAsync(client, customer, orderId);
        using var stock = await SendAsync(client, HttpMethod.Get, $"api/products/{productId}", s_products, null);
        Assert.Equal(3, (await stock.Content.ReadFromJsonAsync<StockView>())!.Stock);
    }

    [SkippableFact]
    public async Task One_trace_runs_from_the_order_request_through_the_orchestration_and_the_stock_call_into_the_event_it_stores()
    {
        using var client = await ClientAsync();
        var admin = await SignedUpAsync(client, grantAdmin: true);
        var customer = await SignedUpAsync(client, grantAdmin: false);
        var productId = await CreateProductAsync(client, admin, stock: 5);
        var spans = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource([s_client.Name, .. TracingRegistration.Sources])
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();

        string orderId;
        ActivityTraceId trace;
        using (var request = s_client.StartActivity("place order", ActivityKind.Client)!)
        {
            trace = request.TraceId;
            orderId = await PlaceOrderAsync(client, customer, productId, quantity: 2);
        }

        await WaitUntilConfirmedAsync(client, customer, orderId);
        tracer.ForceFlush();
        var stockLow = await (await fixture.GatewayAsync()).ServicesOf("products").GetRequiredService<IMongoDatabase>()
            .GetCollection<OutboxDocument>("outbox").Find(e => e.Type == "product.stock_low").SingleAsync();

        string[] inTrace;
        lock (spans)
        {
            inTrace = [.. spans.Where(s => s.TraceId == trace).Select(s => s.DisplayName + " " + s.GetTagItem("url.full"))];
        }

        Assert.Contains(inTrace, s => s.StartsWith("create_orchestration:" + Shop.Orders.Workflow.OrderLifecycle.Name, StringComparison.Ordinal));
        Assert.Contains(inTrace, s => s.StartsWith("activity:" + Shop.Orders.Workflow.ActivityNames.ReserveOrderStock, StringComparison.Ordinal));
        Assert.Contains(inTrace, s => s.StartsWith("POST ", StringComparison.Ordinal) && s.Contains("/api/internal/reservations", StringComparison.Ordinal));
        Assert.Equal(trace.ToString(), stockLow.TraceParent?.Split('-')[1]);
    }

    private static async Task<string> CreateProductAsync(HttpClient client, string admin, int stock)
    {
        using var product = await SendAsync(client, HttpMethod.Post, "api/products", s_products, admin, new
        {
            sku = "GW-" + Guid.NewGuid().ToString("N")[..10], name = "Kettle", description = "d", category = "kitchen", price = 1999, currency = "EUR", stock,
        });
        Assert.Equal(HttpStatusCode.Created, product.StatusCode);
        return (await product.Content.ReadFromJsonAsync<IdView>())!.Id;
    }

    private static async Task<string> PlaceOrderAsync(HttpClient client, string customer, string productId, int quantity)
    {
        using var order = await SendAsync(client, HttpMethod.Post, "api/orders", s_orders, customer, new
        {
            items = new[] { new { productId, quantity } },
            shippingAddress = new { name = "Ann", line1 = "1 Main St", city = "Utrecht", postalCode = "3511", country = "NL" },
            paymentToken = "tok_approve",
        }, ("Idempotency-Key", Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Accepted, order.StatusCode);
        return (await order.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    private static Task WaitUntilConfirmedAsync(HttpClient client, string customer, string orderId) =>
        Eventually.TrueAsync(async () =>
        {
            using var status = await SendAsync(client, HttpMethod.Get, $"api/orders/{orderId}", s_orders, customer);
            return string.Equals((await status.Content.ReadFromJsonAsync<OrderView>())?.Status, "Confirmed", StringComparison.OrdinalIgnoreCase);
        }, TimeSpan.FromSeconds(30), $"order {orderId} confirmed");

    private static FunctionKeys ComposeKeys(string app) => FunctionKeys.OfCompose(app);

    private async Task<HttpClient> ClientAsync() => new() { BaseAddress = (await fixture.GatewayAsync()).BaseAddress };

    private async Task<string> SignedUpAsync(HttpClient client, bool grantAdmin)
    {
        var email = $"gw-{Guid.NewGuid():N}@example.com";
        const string password = "kettle battery correct staple";
        using var signUp = await SendAsync(client, HttpMethod.Post, "api/auth/signup", s_auth, null, new { email, password, displayName = "G" });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        if (grantAdmin)
        {
            Assert.True(await AdminCommand.GrantAsync(email, (await fixture.GatewayAsync()).ServicesOf("auth"), CancellationToken.None));
        }

        using var login = await SendAsync(client, HttpMethod.Post, "api/auth/login", s_auth, null, new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.Content.ReadFromJsonAsync<Tokens>())!.AccessToken;
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, FunctionKeys keys, string? bearer, object? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(FunctionKeys.HeaderName, keys.ByName["default"]);
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    private sealed record IdView(string Id);

    private sealed record OrderAccepted(string OrderId);

    private sealed record OrderView(string Status);

    private sealed record StockView(int Stock);

    private sealed record Tokens(string AccessToken);
}
