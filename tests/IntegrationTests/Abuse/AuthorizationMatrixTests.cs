using Microsoft.Azure.Functions.Worker;
using MongoDB.Driver;
using Shop.Auth.Accounts;
using Shop.Auth.Keys;
using Shop.Auth.Sessions;
using Shop.IntegrationTests.Auth;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Orders;
using Shop.IntegrationTests.Products;
using Shop.Orders.Api;
using Shop.Orders.Workflow;
using Shop.Products.Catalog;
using Shop.Products.Reservations;
using Shop.Shared.Health;
using Shop.Shared.Http;
using Shop.Shared.Security;
using Xunit.Abstractions;
using Shop.Tests.Common;

namespace Shop.IntegrationTests.Abuse;

/// <summary>Who calls: no token, an expired admin token, an admin token signed by another key, the owner (a customer), another customer, an admin.</summary>
public enum Principal
{
    Anonymous,
    ExpiredAdmin,
    ForgedAdmin,
    Customer,
    OtherCustomer,
    Admin,
}

/// <summary>
/// One row of the authorization matrix: the function key level the function declares (the Functions host enforces it
/// and is absent in process, so the level is asserted from the metadata), the status each principal gets, and for
/// internal routes that every principal is refused without the internal service key.
/// </summary>
public sealed record Expectation(AuthorizationLevel Level, int Anonymous, int ExpiredAdmin, int ForgedAdmin, int Customer, int OtherCustomer, int Admin, bool Internal = false)
{
    public int For(Principal principal) => principal switch
    {
        Principal.Anonymous => Anonymous,
        Principal.ExpiredAdmin => ExpiredAdmin,
        Principal.ForgedAdmin => ForgedAdmin,
        Principal.Customer => Customer,
        Principal.OtherCustomer => OtherCustomer,
        _ => Admin,
    };

    public static Expectation Public(int status) => new(AuthorizationLevel.Function, status, status, status, status, status, status);

    public static Expectation Anonymous200 => new(AuthorizationLevel.Anonymous, 200, 200, 200, 200, 200, 200);

    /// <summary>Any valid token; the object belongs to Customer, so OtherCustomer gets 404 (existence is not revealed).</summary>
    public static Expectation Owned(int ok) => new(AuthorizationLevel.Function, 401, 401, 401, ok, 404, ok);

    public static Expectation AnyCaller(int ok) => new(AuthorizationLevel.Function, 401, 401, 401, ok, ok, ok);

    public static Expectation AdminOnly(int ok) => new(AuthorizationLevel.Function, 401, 401, 401, 403, 403, ok);

    public static Expectation InternalOnly(int ok) => new(AuthorizationLevel.Function, ok, ok, ok, ok, ok, ok, Internal: true);
}

public sealed class AuthorizationMatrixTests(ITestOutputHelper output)
{
    /// <summary>
    /// The explicit table: one row per HTTP function of each app (shared Health and Liveness included, per app). A new
    /// HTTP function without a row fails <see cref="Every_http_function_has_exactly_one_row_and_the_declared_function_key_level"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Expectation> Table = new Dictionary<string, Expectation>
    {
        ["AuthFunctions/SignUp"] = Expectation.Public(201),
        ["AuthFunctions/Login"] = Expectation.Public(200),
        ["AuthFunctions/Refresh"] = Expectation.Public(200),
        ["AuthFunctions/Logout"] = Expectation.Public(204),
        ["AuthFunctions/Me"] = Expectation.AnyCaller(200),
        ["AuthFunctions/SetRoles"] = Expectation.AdminOnly(200),
        ["AuthFunctions/Jwks"] = Expectation.Anonymous200,
        ["AuthFunctions/Health"] = Expectation.Anonymous200,
        ["AuthFunctions/Liveness"] = Expectation.Anonymous200,
        ["AuthFunctions/ApiDescription"] = Expectation.Anonymous200,
        ["ProductFunctions/ListProducts"] = Expectation.Public(200),
        ["ProductFunctions/GetProduct"] = Expectation.Public(200),
        ["ProductFunctions/CreateProduct"] = Expectation.AdminOnly(201),
        ["ProductFunctions/ReplaceProduct"] = Expectation.AdminOnly(200),
        ["ProductFunctions/DeleteProduct"] = Expectation.AdminOnly(204),
        ["ProductFunctions/Reserve"] = Expectation.InternalOnly(200),
        ["ProductFunctions/ReleaseReservation"] = Expectation.InternalOnly(204),
        ["ProductFunctions/CommitReservation"] = Expectation.InternalOnly(204),
        ["ProductFunctions/Health"] = Expectation.Anonymous200,
        ["ProductFunctions/Liveness"] = Expectation.Anonymous200,
        ["ProductFunctions/ApiDescription"] = Expectation.Anonymous200,
        ["OrderFunctions/PlaceOrder"] = Expectation.AnyCaller(202),
        ["OrderFunctions/ListOrders"] = Expectation.AnyCaller(200),
        ["OrderFunctions/GetOrder"] = Expectation.Owned(200),
        ["OrderFunctions/GetOrderStatus"] = Expectation.Owned(200),
        ["OrderFunctions/CancelOrder"] = Expectation.Owned(202),
        ["OrderFunctions/ShipOrder"] = Expectation.AdminOnly(202),
        ["OrderFunctions/DeliverOrder"] = Expectation.AdminOnly(202),
        ["OrderFunctions/Health"] = Expectation.Anonymous200,
        ["OrderFunctions/Liveness"] = Expectation.Anonymous200,
        ["OrderFunctions/ApiDescription"] = Expectation.Anonymous200,
    };

    /// <summary>The internal-key variants a public caller might try; each must be 401 whatever bearer token comes with it.</summary>
    public static readonly IReadOnlyDictionary<string, string?> BadInternalKeys = new Dictionary<string, string?>
    {
        ["no key"] = null,
        ["wrong key"] = "wrong-internal-key-0123456789abcdef",
        ["the public function key as internal key"] = "products-function-key",
        ["the internal key with a suffix"] = ProductTestApp.InternalKey + "x",
    };

    public static TheoryData<string> Endpoints()
    {
        var data = new TheoryData<string>();
        foreach (var key in Table.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(key);
        }

        return data;
    }

    [Fact]
    public void Every_http_function_has_exactly_one_row_and_the_declared_function_key_level()
    {
        var declared = HttpFunctionMetadata.Apps.SelectMany(HttpFunctionMetadata.For).ToList();
        var keys = declared.Select(f => $"{f.App}/{f.Name}").ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.True(Table.ContainsKey(k), $"{k} has no row in the authorization matrix: add one on purpose"));
        Assert.All(Table.Keys, k => Assert.True(keys.Contains(k), $"row {k} names no HTTP function"));
        Assert.All(declared, f => Assert.True(Table[$"{f.App}/{f.Name}"].Level == f.AuthLevel,
            $"{f.App}/{f.Name} declares authLevel {f.AuthLevel}, the matrix expects {Table[$"{f.App}/{f.Name}"].Level}"));
        Assert.All(declared.Where(f => f.Route.StartsWith("internal/", StringComparison.Ordinal)),
            f => Assert.True(Table[$"{f.App}/{f.Name}"].Internal, $"{f.Name} is on an internal route but its row is not internal"));
        output.WriteLine($"{declared.Count} HTTP functions x {Enum.GetValues<Principal>().Length} principals = {declared.Count * Enum.GetValues<Principal>().Length} cells, " +
            $"plus {declared.Count(f => Table[$"{f.App}/{f.Name}"].Internal) * BadInternalKeys.Count * Enum.GetValues<Principal>().Length} internal-key cells");
    }

    [SkippableTheory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_principal_gets_the_expected_status_and_a_refused_call_changes_nothing(string endpoint)
    {
        var expectation = Table[endpoint];
        var (app, function) = (endpoint.Split('/')[0], endpoint.Split('/')[1]);
        await using var world = await MatrixWorld.StartAsync(app);
        var failures = new List<string>();
        foreach (var principal in Enum.GetValues<Principal>())
        {
            var send = await world.PrepareAsync(function, principal, internalKey: ProductTestApp.InternalKey);
            var before = await StateSnapshot.TakeAsync(world.Database);
            var response = await send();
            await world.SettleAsync(response.Status is >= 200 and < 300);
            var after = await StateSnapshot.TakeAsync(world.Database);
            var expected = expectation.For(principal);
            output.WriteLine($"{endpoint} as {principal}: {response.Status} (expected {expected})");
            if (response.Status != expected)
            {
                failures.Add($"{principal}: {response.Status}, expected {expected}: {response.Body}");
            }

            if (response.Status >= 400 && !before.SequenceEqual(after))
            {
                failures.Add($"{principal}: refused with {response.Status} but the database changed");
            }
        }

        if (expectation.Internal)
        {
            foreach (var principal in Enum.GetValues<Principal>())
            {
                foreach (var (why, key) in BadInternalKeys)
                {
                    var send = await world.PrepareAsync(function, principal, key);
                    var before = await StateSnapshot.TakeAsync(world.Database);
                    var response = await send();
                    var after = await StateSnapshot.TakeAsync(world.Database);
                    output.WriteLine($"{endpoint} as {principal} with {why}: {response.Status} (expected 401)");
                    if (response.Status != 401 || !before.SequenceEqual(after))
                    {
                        failures.Add($"{principal} with {why}: {response.Status} (expected 401, no change): {response.Body}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, endpoint + ":\n" + string.Join("\n", failures));
    }
}

/// <summary>One app with the objects the matrix acts on: a customer's objects, another customer, an admin.</summary>
internal sealed class MatrixWorld : IAsyncDisposable
{
    private readonly string _app;
    private readonly IAsyncDisposable _owner;
    private readonly string _customerId;
    private readonly string _otherId;
    private readonly string _adminId;
    private AuthTestApp? _auth;
    private ProductTestApp? _products;
    private OrderTestApp? _orders;
    private string _customerEmail = "";
    private string _customerPassword = "";
    private string _orderId = "";
    private string? _touchedOrderId;
    private string? _restStep;

    private MatrixWorld(string app, IAsyncDisposable owner, FunctionTestHost host, string customerId, string otherId, string adminId)
    {
        _app = app;
        _owner = owner;
        Host = host;
        _customerId = customerId;
        _otherId = otherId;
        _adminId = adminId;
    }

    public FunctionTestHost Host { get; }

    public IMongoDatabase Database => Host.Get<IMongoDatabase>();

    public static async Task<MatrixWorld> StartAsync(string app)
    {
        switch (app)
        {
            case "AuthFunctions":
            {
                var auth = await AuthTestApp.StartAsync();
                const string password = "correct horse battery staple";
                var customer = await auth.NewUserAsync(password);
                var other = await auth.NewUserAsync(password);
                var admin = await auth.NewUserAsync(password);
                return new MatrixWorld(app, auth, auth.Host, customer.UserId, other.UserId, admin.UserId)
                {
                    _auth = auth, _customerEmail = customer.Email, _customerPassword = password,
                };
            }

            case "ProductFunctions":
            {
                var products = await ProductTestApp.StartAsync();
                return new MatrixWorld(app, products, products.Host, Ids.New(), Ids.New(), Ids.New()) { _products = products };
            }

            default:
            {
                var orders = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);
                var world = new MatrixWorld(app, orders, orders.Host, Ids.New(), Ids.New(), Ids.New()) { _orders = orders };
                world._orderId = await world.NewConfirmedOrderAsync();
                return world;
            }
        }
    }

    public string? Token(Principal principal) => principal switch
    {
        Principal.Anonymous => null,
        Principal.ExpiredAdmin => AbuseTokens.Expired(_adminId, ShopRoles.Admin),
        Principal.ForgedAdmin => AbuseTokens.Foreign(_adminId, ShopRoles.Admin),
        Principal.Customer => TestTokens.For(_customerId, ShopRoles.Customer),
        Principal.OtherCustomer => TestTokens.For(_otherId, ShopRoles.Customer),
        _ => TestTokens.For(_adminId, ShopRoles.Admin),
    };

    /// <summary>Arranges what the call needs (fresh objects where it may change them), then returns the call itself.</summary>
    public async Task<Func<Task<TestResponse>>> PrepareAsync(string function, Principal principal, string? internalKey)
    {
        var bearer = Token(principal);
        var internalHeaders = internalKey is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [InternalApiOptions.HeaderName] = internalKey };
        switch (_app, function)
        {
            case (_, "Health"):
                return () => Host.SendAsync<HealthFunction>("GET", "health", (f, r) => f.Health(r), bearer: bearer);
            case (_, "Liveness"):
                return () => Host.SendAsync<HealthFunction>("GET", "health/live", (_, r) => Task.FromResult(HealthFunction.Liveness(r)), bearer: bearer);

            case ("AuthFunctions", "ApiDescription"):
                return () => Host.SendAsync<Shop.Auth.OpenApiFunction>("GET", "auth/openapi.json", (f, r) => Task.FromResult(f.Document(r)), bearer: bearer);
            case ("ProductFunctions", "ApiDescription"):
                return () => Host.SendAsync<Shop.Products.OpenApiFunction>("GET", "products/openapi.json", (f, r) => Task.FromResult(f.Document(r)), bearer: bearer);
            case ("OrderFunctions", "ApiDescription"):
                return () => Host.SendAsync<Shop.Orders.OpenApiFunction>("GET", "orders/openapi.json", (f, r) => Task.FromResult(f.Document(r)), bearer: bearer);

            case ("AuthFunctions", "SignUp"):
                return () => Host.SendAsync<AccountFunctions>("POST", "auth/signup", (f, r) => f.SignUp(r),
                    new { email = $"m-{Guid.NewGuid():N}@example.com", password = "correct horse battery staple", displayName = "M" }, bearer);
            case ("AuthFunctions", "Login"):
                return () => Host.SendAsync<SessionFunctions>("POST", "auth/login", (f, r) => f.Login(r), new { email = _customerEmail, password = _customerPassword }, bearer);
            case ("AuthFunctions", "Refresh"):
            {
                var refreshToken = await FreshRefreshTokenAsync();
                return () => Host.SendAsync<SessionFunctions>("POST", "auth/refresh", (f, r) => f.Refresh(r), new { refreshToken }, bearer);
            }

            case ("AuthFunctions", "Logout"):
            {
                var refreshToken = await FreshRefreshTokenAsync();
                return () => Host.SendAsync<SessionFunctions>("POST", "auth/logout", (f, r) => f.Logout(r), new { refreshToken }, bearer);
            }

            case ("AuthFunctions", "Me"):
                return () => Host.SendAsync<AccountFunctions>("GET", "auth/me", (f, r) => f.Me(r), bearer: bearer);
            case ("AuthFunctions", "SetRoles"):
                // The customer tries to set its own roles, the other customer someone else's, the admin the customer's.
                var target = _customerId;
                return () => Host.SendAsync<AccountFunctions>("PUT", $"auth/users/{target}/roles", (f, r) => f.SetRoles(r, target), new { roles = new[] { "customer" } }, bearer);
            case ("AuthFunctions", "Jwks"):
                return () => Host.SendAsync<JwksFunction>("GET", "auth/jwks", (f, r) => Task.FromResult(f.Jwks(r)), bearer: bearer);

            case ("ProductFunctions", "ListProducts"):
                return () => Host.SendAsync<ProductFunctions>("GET", "products", (f, r) => f.List(r), bearer: bearer);
            case ("ProductFunctions", "GetProduct"):
            {
                var id = (await _products!.CreateProductAsync()).Id;
                return () => Host.SendAsync<ProductFunctions>("GET", $"products/{id}", (f, r) => f.Get(r, id), bearer: bearer);
            }

            case ("ProductFunctions", "CreateProduct"):
                return () => Host.SendAsync<ProductFunctions>("POST", "products", (f, r) => f.Create(r), ProductTestApp.SampleInput(), bearer);
            case ("ProductFunctions", "ReplaceProduct"):
            {
                var product = await _products!.CreateProductAsync();
                return () => Host.SendAsync<ProductFunctions>("PUT", $"products/{product.Id}", (f, r) => f.Replace(r, product.Id),
                    ProductTestApp.SampleInput(sku: product.Sku, name: "Renamed"), bearer, new Dictionary<string, string> { ["If-Match"] = "\"1\"" });
            }

            case ("ProductFunctions", "DeleteProduct"):
            {
                var id = (await _products!.CreateProductAsync()).Id;
                return () => Host.SendAsync<ProductFunctions>("DELETE", $"products/{id}", (f, r) => f.Delete(r, id), null, bearer, new Dictionary<string, string> { ["If-Match"] = "\"1\"" });
            }

            case ("ProductFunctions", "Reserve"):
            {
                var id = (await _products!.CreateProductAsync()).Id;
                return () => Host.SendAsync<ReservationFunctions>("POST", "internal/reservations", (f, r) => f.Reserve(r),
                    new { orderId = "m-" + Ids.New(), items = new[] { new { productId = id, quantity = 1 } } }, bearer, internalHeaders);
            }

            case ("ProductFunctions", "ReleaseReservation"):
            {
                var orderId = await ReservedOrderAsync();
                return () => Host.SendAsync<ReservationFunctions>("DELETE", $"internal/reservations/{orderId}", (f, r) => f.Release(r, orderId), null, bearer, internalHeaders);
            }

            case ("ProductFunctions", "CommitReservation"):
            {
                var orderId = await ReservedOrderAsync();
                return () => Host.SendAsync<ReservationFunctions>("POST", $"internal/reservations/{orderId}/commit", (f, r) => f.Commit(r, orderId), null, bearer, internalHeaders);
            }

            case ("OrderFunctions", "PlaceOrder"):
            {
                // The order id is derived from (user, key), so the call's order is known before it is placed.
                var key = Guid.NewGuid().ToString();
                _touchedOrderId = principal is Principal.Customer or Principal.OtherCustomer or Principal.Admin
                    ? Shop.Orders.Idempotency.IdempotencyKey.OrderIdFor(principal switch
                    {
                        Principal.Customer => _customerId,
                        Principal.OtherCustomer => _otherId,
                        _ => _adminId,
                    }, key)
                    : null;
                _restStep = OrderSteps.AwaitingShipment;
                return () => _orders!.Host.SendAsync<OrderFunctions>("POST", "orders", (f, r) => f.Place(r, _orders.Client),
                    OrderTestApp.SampleOrder(Ids.New()), bearer, new Dictionary<string, string> { ["Idempotency-Key"] = key });
            }

            case ("OrderFunctions", "ListOrders"):
                return () => Host.SendAsync<OrderFunctions>("GET", "orders", (f, r) => f.List(r), bearer: bearer);
            case ("OrderFunctions", "GetOrder"):
                return () => Host.SendAsync<OrderFunctions>("GET", $"orders/{_orderId}", (f, r) => f.Get(r, _orderId), bearer: bearer);
            case ("OrderFunctions", "GetOrderStatus"):
                return () => Host.SendAsync<OrderFunctions>("GET", $"orders/{_orderId}/status", (f, r) => f.Status(r, _orderId, _orders!.Client), bearer: bearer);
            case ("OrderFunctions", "CancelOrder"):
            {
                var id = await OrderForAsync(principal is Principal.Customer or Principal.Admin);
                (_touchedOrderId, _restStep) = (id, null);
                return () => Host.SendAsync<OrderFunctions>("POST", $"orders/{id}/cancel", (f, r) => f.Cancel(r, id, _orders!.Client), bearer: bearer);
            }

            case ("OrderFunctions", "ShipOrder"):
            {
                var id = await OrderForAsync(principal == Principal.Admin);
                (_touchedOrderId, _restStep) = (id, OrderSteps.AwaitingDelivery);
                return () => Host.SendAsync<OrderFunctions>("POST", $"orders/{id}/ship", (f, r) => f.Ship(r, id, _orders!.Client), bearer: bearer);
            }

            case ("OrderFunctions", "DeliverOrder"):
            {
                var id = await OrderForAsync(principal == Principal.Admin);
                if (principal == Principal.Admin)
                {
                    var shipped = await _orders!.ShipAsync(id, Token(Principal.Admin));
                    Assert.True(shipped.Status == 202, shipped.ToString());
                    await _orders.WaitForStepAsync(id, OrderSteps.AwaitingDelivery, Token(Principal.Admin)!);
                }

                (_touchedOrderId, _restStep) = (id, null);
                return () => Host.SendAsync<OrderFunctions>("POST", $"orders/{id}/deliver", (f, r) => f.Deliver(r, id, _orders!.Client), bearer: bearer);
            }

            default:
                throw new InvalidOperationException($"The matrix has no way to call {_app}/{function}: add one to MatrixWorld.CallAsync.");
        }
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    /// <summary>
    /// Waits until the orchestration of the order the last call acted on rests (awaiting shipment or delivery, or
    /// finished), so its background writes are not mistaken for an effect of the next call.
    /// </summary>
    public async Task SettleAsync(bool accepted)
    {
        var (id, step) = (_touchedOrderId, _restStep);
        (_touchedOrderId, _restStep) = (null, null);
        if (_orders is null || id is null || !accepted)
        {
            return;
        }

        await Eventually.TrueAsync(async () =>
        {
            var instance = await _orders.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            return instance is null
                || instance.RuntimeStatus is Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed or Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Failed
                || instance.RuntimeStatus is Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Terminated
                || (step is not null && instance.SerializedCustomStatus?.Contains(step, StringComparison.Ordinal) == true);
        }, TimeSpan.FromSeconds(30), $"order {id} rests");
    }

    /// <summary>A fresh Confirmed order of the customer when the call may change it; the shared one otherwise.</summary>
    private async Task<string> OrderForAsync(bool fresh) => fresh ? await NewConfirmedOrderAsync() : _orderId;

    private async Task<string> NewConfirmedOrderAsync()
    {
        var owner = Token(Principal.Customer)!;
        var id = await _orders!.PlaceOrderAsync(owner, Ids.New());
        await _orders.WaitForStepAsync(id, OrderSteps.AwaitingShipment, owner);
        return id;
    }

    private async Task<string> FreshRefreshTokenAsync()
    {
        var login = await _auth!.LoginAsync(new { email = _customerEmail, password = _customerPassword });
        Assert.True(login.Status == 200, login.ToString());
        return login.Json<TokenPair>().RefreshToken;
    }

    private async Task<string> ReservedOrderAsync()
    {
        var product = await _products!.CreateProductAsync();
        var orderId = "m-" + Ids.New();
        var reserved = await _products.ReserveAsync(new { orderId, items = new[] { new { productId = product.Id, quantity = 1 } } });
        Assert.True(reserved.Status == 200, reserved.ToString());
        return orderId;
    }
}
