using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
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

public delegate Task<IActionResult> Invoke(object function, HttpRequest request, IReadOnlyDictionary<string, string> route);

/// <summary>An app started for the corpus, with the objects the hostile requests aim at already in its database.</summary>
public sealed class AbuseTarget(
    FunctionTestHost host,
    IAsyncDisposable owner,
    IReadOnlyDictionary<string, string> variables,
    string ownerId,
    IReadOnlyDictionary<string, (Type Class, Invoke Invoke)> functions)
{
    public FunctionTestHost Host => host;

    public IAsyncDisposable Owner => owner;

    public IReadOnlyDictionary<string, string> Variables => variables;

    public IReadOnlyDictionary<string, (Type Class, Invoke Invoke)> Functions => functions;

    public string? Bearer(string auth) => auth switch
    {
        "none" or "internal" or "raw-internal" => null,
        "admin" => TestTokens.Admin(),
        "customer" or "other" => TestTokens.Customer(),
        "owner" => TestTokens.Customer(ownerId),
        "expired" => AbuseTokens.Expired(Ids.New()),
        "expired-admin" => AbuseTokens.Expired(Ids.New(), ShopRoles.Admin),
        "expired-owner" => AbuseTokens.Expired(ownerId),
        "foreign" => AbuseTokens.Foreign(Ids.New()),
        "foreign-admin" => AbuseTokens.Foreign(Ids.New(), ShopRoles.Admin),
        _ => throw new InvalidDataException("Unknown auth mode " + auth),
    };
}

/// <summary>Starts the app once per test class, inside the first test (so a missing server is a skip, not a crash).</summary>
public abstract class AbuseFixture : IAsyncLifetime
{
    private Task<AbuseTarget>? _target;

    public Task<AbuseTarget> TargetAsync() => _target ??= StartAsync();

    protected abstract Task<AbuseTarget> StartAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_target is { IsCompletedSuccessfully: true })
        {
            await (await _target).Owner.DisposeAsync();
        }
    }

    protected static Dictionary<string, string> Common() => new()
    {
        ["customer"] = TestTokens.Customer(),
        ["expired"] = AbuseTokens.Expired(Ids.New()),
        ["foreign"] = AbuseTokens.Foreign(Ids.New()),
    };

    protected static (Type, Invoke) Health() => (typeof(HealthFunction), (f, r, _) => ((HealthFunction)f).Health(r));

    protected static (Type, Invoke) Liveness() => (typeof(HealthFunction), (_, r, _) => Task.FromResult(HealthFunction.Liveness(r)));
}

public sealed class AuthAbuseFixture : AbuseFixture
{
    protected override async Task<AbuseTarget> StartAsync()
    {
        var app = await AuthTestApp.StartAsync();
        var (tokens, email, userId) = await app.NewUserAsync();
        var variables = Common();
        variables["email"] = email;
        variables["userId"] = userId;
        variables["refreshToken"] = tokens.RefreshToken;
        return new AbuseTarget(app.Host, app, variables, userId, new Dictionary<string, (Type, Invoke)>
        {
            ["SignUp"] = (typeof(AccountFunctions), (f, r, _) => ((AccountFunctions)f).SignUp(r)),
            ["Me"] = (typeof(AccountFunctions), (f, r, _) => ((AccountFunctions)f).Me(r)),
            ["SetRoles"] = (typeof(AccountFunctions), (f, r, v) => ((AccountFunctions)f).SetRoles(r, v["userId"])),
            ["Login"] = (typeof(SessionFunctions), (f, r, _) => ((SessionFunctions)f).Login(r)),
            ["Refresh"] = (typeof(SessionFunctions), (f, r, _) => ((SessionFunctions)f).Refresh(r)),
            ["Logout"] = (typeof(SessionFunctions), (f, r, _) => ((SessionFunctions)f).Logout(r)),
            ["Jwks"] = (typeof(JwksFunction), (f, r, _) => Task.FromResult(((JwksFunction)f).Jwks(r))),
            ["ApiDescription"] = (typeof(Shop.Auth.OpenApiFunction), (f, r, _) => Task.FromResult(((Shop.Auth.OpenApiFunction)f).Document(r))),
            ["Health"] = Health(),
            ["Liveness"] = Liveness(),
        });
    }
}

public sealed class ProductAbuseFixture : AbuseFixture
{
    protected override async Task<AbuseTarget> StartAsync()
    {
        var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync();
        var variables = Common();
        variables["productId"] = product.Id;
        variables["productSku"] = product.Sku;
        return new AbuseTarget(app.Host, app, variables, Ids.New(), new Dictionary<string, (Type, Invoke)>
        {
            ["ListProducts"] = (typeof(ProductFunctions), (f, r, _) => ((ProductFunctions)f).List(r)),
            ["GetProduct"] = (typeof(ProductFunctions), (f, r, v) => ((ProductFunctions)f).Get(r, v["id"])),
            ["CreateProduct"] = (typeof(ProductFunctions), (f, r, _) => ((ProductFunctions)f).Create(r)),
            ["ReplaceProduct"] = (typeof(ProductFunctions), (f, r, v) => ((ProductFunctions)f).Replace(r, v["id"])),
            ["DeleteProduct"] = (typeof(ProductFunctions), (f, r, v) => ((ProductFunctions)f).Delete(r, v["id"])),
            ["Reserve"] = (typeof(ReservationFunctions), (f, r, _) => ((ReservationFunctions)f).Reserve(r)),
            ["ReleaseReservation"] = (typeof(ReservationFunctions), (f, r, v) => ((ReservationFunctions)f).Release(r, v["orderId"])),
            ["CommitReservation"] = (typeof(ReservationFunctions), (f, r, v) => ((ReservationFunctions)f).Commit(r, v["orderId"])),
            ["ApiDescription"] = (typeof(Shop.Products.OpenApiFunction), (f, r, _) => Task.FromResult(((Shop.Products.OpenApiFunction)f).Document(r))),
            ["Health"] = Health(),
            ["Liveness"] = Liveness(),
        });
    }
}

public sealed class OrderAbuseFixture : AbuseFixture
{
    protected override async Task<AbuseTarget> StartAsync()
    {
        var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);
        var ownerId = Ids.New();
        var owner = TestTokens.Customer(ownerId);
        var productId = Ids.New();
        var orderId = await app.PlaceOrderAsync(owner, productId);
        await app.WaitForStepAsync(orderId, OrderSteps.AwaitingShipment, owner);
        var variables = Common();
        variables["productId"] = productId;
        variables["orderId"] = orderId;
        var client = app.Client;
        return new AbuseTarget(app.Host, app, variables, ownerId, new Dictionary<string, (Type, Invoke)>
        {
            ["PlaceOrder"] = (typeof(OrderFunctions), (f, r, _) => ((OrderFunctions)f).Place(r, client)),
            ["ListOrders"] = (typeof(OrderFunctions), (f, r, _) => ((OrderFunctions)f).List(r)),
            ["GetOrder"] = (typeof(OrderFunctions), (f, r, v) => ((OrderFunctions)f).Get(r, v["id"])),
            ["GetOrderStatus"] = (typeof(OrderFunctions), (f, r, v) => ((OrderFunctions)f).Status(r, v["id"], client)),
            ["CancelOrder"] = (typeof(OrderFunctions), (f, r, v) => ((OrderFunctions)f).Cancel(r, v["id"], client)),
            ["ShipOrder"] = (typeof(OrderFunctions), (f, r, v) => ((OrderFunctions)f).Ship(r, v["id"], client)),
            ["DeliverOrder"] = (typeof(OrderFunctions), (f, r, v) => ((OrderFunctions)f).Deliver(r, v["id"], client)),
            ["ApiDescription"] = (typeof(Shop.Orders.OpenApiFunction), (f, r, _) => Task.FromResult(((Shop.Orders.OpenApiFunction)f).Document(r))),
            ["Health"] = Health(),
            ["Liveness"] = Liveness(),
        });
    }
}

/// <summary>
/// Runs each corpus line through the app's real middleware and function against the real servers: never a 5xx, the
/// expected status class, problem+json without internals for every error, no CR/LF in response headers, and not one
/// document of the app's database changed.
/// </summary>
public abstract class AbuseCorpusTests(AbuseFixture fixture, string app, string assembly, ITestOutputHelper output)
{
    private static readonly string[] KnownAuthModes =
        ["none", "admin", "customer", "owner", "other", "expired", "expired-admin", "expired-owner", "foreign", "foreign-admin", "internal", "raw-internal"];

    private readonly Dictionary<string, AbuseCase> _cases = AbuseCorpus.Load(app).ToDictionary(c => c.Id);

    protected async Task RunAsync(string id)
    {
        var target = await fixture.TargetAsync();
        var abuse = _cases[id];
        var expand = AbuseCorpus.Expander(target.Variables);
        var extraHeaders = abuse.Auth == "internal"
            ? new Dictionary<string, string> { [InternalApiOptions.HeaderName] = ProductTestApp.InternalKey }
            : [];
        var request = abuse.ToRequest(expand, target.Bearer(abuse.Auth), extraHeaders);
        var route = abuse.Route.ToDictionary(r => r.Key, r => expand(r.Value));
        var (functionClass, invoke) = target.Functions[abuse.Function];
        var database = target.Host.Get<IMongoDatabase>();

        var before = await StateSnapshot.TakeAsync(database);
        var response = await request.SendAsync(target.Host, functionClass, (f, r) => invoke(f, r, route));
        var after = await StateSnapshot.TakeAsync(database);

        output.WriteLine($"{abuse}: {response.Status} {response.Body[..Math.Min(300, response.Body.Length)]}");
        AbuseCorpus.AssertCleanAnswer(abuse, response);
        StateSnapshot.AssertUnchanged(before, after, abuse.ToString());
    }

    [Fact]
    public void The_corpus_covers_every_http_function_of_the_app_at_least_three_times()
    {
        var functions = HttpFunctionMetadata.For(assembly).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var counts = _cases.Values.GroupBy(c => c.Function).ToDictionary(g => g.Key, g => g.Count());

        Assert.Subset(functions, counts.Keys.ToHashSet(StringComparer.Ordinal));
        Assert.All(functions, f => Assert.True(counts.GetValueOrDefault(f) >= 3, $"{f} has {counts.GetValueOrDefault(f)} corpus lines"));
        Assert.All(_cases.Values, c => Assert.True(
            c.Expect is "2xx" or "4xx" or "any" || (int.TryParse(c.Expect, out var status) && status is >= 200 and < 500), $"{c}: expect {c.Expect}"));
        Assert.All(_cases.Values, c => Assert.Contains(c.Auth, KnownAuthModes));
        Assert.True(_cases.Count >= 60, $"only {_cases.Count} lines for {app}");
    }
}

public sealed class AuthAbuseCorpusTests(AuthAbuseFixture fixture, ITestOutputHelper output) : AbuseCorpusTests(fixture, "auth", "AuthFunctions", output), IClassFixture<AuthAbuseFixture>
{
    public static TheoryData<string, string> Cases => AbuseCorpus.Theory("auth");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Hostile_auth_request_gets_a_clean_4xx_and_changes_nothing(string id, string why)
    {
        _ = why;
        return RunAsync(id);
    }
}

public sealed class ProductAbuseCorpusTests(ProductAbuseFixture fixture, ITestOutputHelper output) : AbuseCorpusTests(fixture, "products", "ProductFunctions", output), IClassFixture<ProductAbuseFixture>
{
    public static TheoryData<string, string> Cases => AbuseCorpus.Theory("products");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Hostile_product_request_gets_a_clean_4xx_and_changes_nothing(string id, string why)
    {
        _ = why;
        return RunAsync(id);
    }
}

public sealed class OrderAbuseCorpusTests(OrderAbuseFixture fixture, ITestOutputHelper output) : AbuseCorpusTests(fixture, "orders", "OrderFunctions", output), IClassFixture<OrderAbuseFixture>
{
    public static TheoryData<string, string> Cases => AbuseCorpus.Theory("orders");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Hostile_order_request_gets_a_clean_4xx_and_changes_nothing(string id, string why)
    {
        _ = why;
        return RunAsync(id);
    }
}
