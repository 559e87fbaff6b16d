using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using MongoDB.Driver;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Workflow;
using Shop.Auth.Sessions;
using Shop.Shared.Http;
using Shop.Shared.Json;
using Shop.Shared.Security;
using Shop.Testing.Dispatch;
using Shop.Testing.Gateway;

namespace Shop.IntegrationTests.Abuse;

/// <summary>How a matrix call presents the app's function key to the loopback gateway.</summary>
public enum FunctionKeyUse
{
    Header,
    Query,
    None,
    Wrong,
    OtherApp,
}

/// <summary>
/// One app with the objects the matrix acts on (a customer's objects, another customer, an admin), served by its own
/// loopback gateway with the compose key file of the app: every call crosses a real socket and the host's key check.
/// Which method and path a function has comes from its own [HttpTrigger] through the dispatcher's route table; the
/// switch below only arranges each call (fresh objects, route values, body).
/// </summary>
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
    private LoopbackGateway? _gateway;
    private FunctionDispatcher? _dispatcher;
    private FunctionKeys? _keys;
    private string _otherAppKey = "";
    private FunctionKeyUse _keyUse;

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
                var world = new MatrixWorld(app, auth, auth.Host, customer.UserId, other.UserId, admin.UserId)
                {
                    _auth = auth, _customerEmail = customer.Email, _customerPassword = password,
                };
                await world.OpenGatewayAsync();
                return world;
            }

            case "ProductFunctions":
            {
                var products = await ProductTestApp.StartAsync();
                var world = new MatrixWorld(app, products, products.Host, Ids.New(), Ids.New(), Ids.New()) { _products = products };
                await world.OpenGatewayAsync();
                return world;
            }

            default:
            {
                var orders = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);
                var world = new MatrixWorld(app, orders, orders.Host, Ids.New(), Ids.New(), Ids.New()) { _orders = orders };
                await world.OpenGatewayAsync();
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
    public async Task<Func<Task<TestResponse>>> PrepareAsync(
        string function, Principal principal, string? internalKey, FunctionKeyUse keyUse = FunctionKeyUse.Header)
    {
        _keyUse = keyUse;
        var bearer = Token(principal);
        var internalHeaders = internalKey is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [InternalApiOptions.HeaderName] = internalKey };
        switch (_app, function)
        {

            case ("AuthFunctions", "SignUp"):
                return Call("SignUp", bearer,
                    new { email = $"m-{Guid.NewGuid():N}@example.com", password = "correct horse battery staple", displayName = "M" });
            case ("AuthFunctions", "Login"):
                return Call("Login", bearer, new { email = _customerEmail, password = _customerPassword });
            case ("AuthFunctions", "Refresh"):
            {
                var refreshToken = await FreshRefreshTokenAsync();
                return Call("Refresh", bearer, new { refreshToken });
            }

            case ("AuthFunctions", "Logout"):
            {
                var refreshToken = await FreshRefreshTokenAsync();
                return Call("Logout", bearer, new { refreshToken });
            }

            case ("AuthFunctions", "SetRoles"):
                // The customer tries to set its own roles, the other customer someone else's, the admin the customer's.
                var target = _customerId;
                return Call("SetRoles", bearer, new { roles = new[] { "customer" } }, route: ("userId", target));

            case ("ProductFunctions", "GetProduct"):
            {
                var id = (await _products!.CreateProductAsync()).Id;
                return Call("GetProduct", bearer, route: ("id", id));
            }

            case ("ProductFunctions", "CreateProduct"):
                return Call("CreateProduct", bearer, ProductTestApp.SampleInput());
            case ("ProductFunctions", "ReplaceProduct"):
            {
                var product = await _products!.CreateProductAsync();
                return Call("ReplaceProduct", bearer, ProductTestApp.SampleInput(sku: product.Sku, name: "Renamed"),
                    new Dictionary<string, string> { ["If-Match"] = "\"1\"" }, ("id", product.Id));
            }

            case ("ProductFunctions", "DeleteProduct"):
            {
                var id = (await _products!.CreateProductAsync()).Id;
                return Call("DeleteProduct", bearer, null, new Dictionary<string, string> { ["If-Match"] = "\"1\"" }, ("id", id));
            }

            case ("ProductFunctions", "Reserve"):
            {
                var id = (await _products!.CreateProductAsync()).Id;
                return Call("Reserve", bearer, new { orderId = "m-" + Ids.New(), items = new[] { new { productId = id, quantity = 1 } } }, internalHeaders);
            }

            case ("ProductFunctions", "ReleaseReservation"):
            {
                var orderId = await ReservedOrderAsync();
                return Call("ReleaseReservation", bearer, null, internalHeaders, ("orderId", orderId));
            }

            case ("ProductFunctions", "CommitReservation"):
            {
                var orderId = await ReservedOrderAsync();
                return Call("CommitReservation", bearer, null, internalHeaders, ("orderId", orderId));
            }

            case ("OrderFunctions", "PlaceOrder"):
            {
                // The order id is derived from (user, key), so the call's order is known before it is placed.
                var key = Guid.NewGuid().ToString();
                _touchedOrderId = principal is Principal.Customer or Principal.OtherCustomer or Principal.Admin
                    ? Shop.Orders.Api.OrderPlacement.OrderIdFor(principal switch
                    {
                        Principal.Customer => _customerId,
                        Principal.OtherCustomer => _otherId,
                        _ => _adminId,
                    }, key)
                    : null;
                _restStep = OrderSteps.AwaitingShipment;
                return Call("PlaceOrder", bearer, OrderTestApp.SampleOrder(Ids.New()), new Dictionary<string, string> { ["Idempotency-Key"] = key });
            }

            case ("OrderFunctions", "GetOrder"):
                return Call("GetOrder", bearer, route: ("id", _orderId));
            case ("OrderFunctions", "GetOrderStatus"):
                return Call("GetOrderStatus", bearer, route: ("id", _orderId));
            case ("OrderFunctions", "CancelOrder"):
            {
                var id = await OrderForAsync(principal is Principal.Customer or Principal.Admin);
                (_touchedOrderId, _restStep) = (id, null);
                return Call("CancelOrder", bearer, route: ("id", id));
            }

            case ("OrderFunctions", "ShipOrder"):
            {
                var id = await OrderForAsync(principal == Principal.Admin);
                (_touchedOrderId, _restStep) = (id, OrderSteps.AwaitingDelivery);
                return Call("ShipOrder", bearer, route: ("id", id));
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
                return Call("DeliverOrder", bearer, route: ("id", id));
            }

            // A GET without route values needs nothing arranged: a new endpoint of that shape needs only its table row.
            case var _ when NeedsNothingArranged(function):
                return Call(function, bearer);

            default:
                throw new InvalidOperationException($"The matrix has no way to call {_app}/{function}: add one to MatrixWorld.PrepareAsync.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await _owner.DisposeAsync();
    }

    private static readonly Dictionary<string, string> s_keyFiles = new()
    {
        ["AuthFunctions"] = "auth", ["ProductFunctions"] = "products", ["OrderFunctions"] = "orders",
    };

    private async Task OpenGatewayAsync()
    {
        _dispatcher = Host.Dispatcher;
        _keys = FunctionKeys.OfCompose(s_keyFiles[_app]);
        _otherAppKey = FunctionKeys.OfCompose(s_keyFiles.First(a => a.Key != _app).Value).ByName["default"];
        _gateway = await LoopbackGateway.ServeOneAsync(s_keyFiles[_app], _dispatcher);
    }

    /// <summary>
    /// The call of one function over HTTP through the gateway: method and route template from the function's own
    /// trigger, route values filled in, the function key as <see cref="_keyUse"/> says.
    /// </summary>
    private bool NeedsNothingArranged(string function)
    {
        var target = _dispatcher!.Routes.Function(function);
        return !target.Route.Contains('{', StringComparison.Ordinal) && target.Methods.SequenceEqual(["GET"]);
    }

    private Func<Task<TestResponse>> Call(
        string function, string? bearer, object? body = null, IReadOnlyDictionary<string, string>? headers = null, params (string Name, string Value)[] route)
    {
        var target = _dispatcher!.Routes.Function(function);
        var path = HttpFunction.RoutePrefix + "/" + Regex.Replace(target.Route, @"\{(\w+)[^}]*\}",
            m => Uri.EscapeDataString(route.Single(r => r.Name == m.Groups[1].Value).Value));
        var key = _keyUse switch
        {
            FunctionKeyUse.Header or FunctionKeyUse.Query => _keys!.ByName["default"],
            FunctionKeyUse.Wrong => "wrong-function-key-0123456789abcdef0123",
            FunctionKeyUse.OtherApp => _otherAppKey,
            _ => null,
        };
        if (_keyUse == FunctionKeyUse.Query)
        {
            path += "?" + FunctionKeys.QueryName + "=" + Uri.EscapeDataString(key!);
        }

        var inHeader = _keyUse == FunctionKeyUse.Query ? null : key;
        return async () =>
        {
            using var client = new HttpClient { BaseAddress = _gateway!.BaseAddress };
            using var request = new HttpRequestMessage(new HttpMethod(target.Methods[0]), path);
            if (inHeader is not null)
            {
                request.Headers.Add(FunctionKeys.HeaderName, inHeader);
            }

            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (body is not null)
            {
                request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, ShopJson.Options));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            using var response = await client.SendAsync(request);
            return await TestResponse.ReadAsync(response);
        };
    }

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
