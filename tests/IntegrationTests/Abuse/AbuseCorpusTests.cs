using MongoDB.Driver;
using Shop.Orders.Workflow;
using Shop.Shared.Http;
using Shop.Shared.Security;
using Xunit.Abstractions;
using Shop.Testing.Dispatch;
using Shop.Testing.Gateway;
using Shop.Tests.Common;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// An app started for the corpus, with the objects the hostile requests aim at already in its database, served by its
/// own loopback gateway (Kestrel on 127.0.0.1, the compose function keys) and reachable in process through its
/// dispatcher: functions found from their own attributes, no dispatch table here.
/// </summary>
public sealed class AbuseTarget(
    FunctionTestHost host,
    IAsyncDisposable owner,
    IReadOnlyDictionary<string, string> variables,
    string ownerId,
    LoopbackGateway gateway,
    string functionKey) : IAsyncDisposable
{
    public FunctionTestHost Host => host;

    public IReadOnlyDictionary<string, string> Variables => variables;

    public FunctionDispatcher Dispatcher => host.Dispatcher;

    public LoopbackGateway Gateway => gateway;

    /// <summary>The app's default function key, which every request over the socket presents unless it brings its own.</summary>
    public string FunctionKey => functionKey;

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

    /// <param name="app">The app's short name (auth, products, orders), which names its compose key file.</param>
    public static async Task<AbuseTarget> StartAsync(
        string app, FunctionTestHost host, IAsyncDisposable owner, IReadOnlyDictionary<string, string> variables, string ownerId)
    {
        var gateway = await LoopbackGateway.ServeOneAsync(app, host.Dispatcher);
        return new(host, owner, variables, ownerId, gateway, FunctionKeys.OfCompose(app).ByName["default"]);
    }

    public async ValueTask DisposeAsync()
    {
        await gateway.DisposeAsync();
        await owner.DisposeAsync();
    }
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
            await (await _target).DisposeAsync();
        }
    }

    protected static Dictionary<string, string> Common() => new()
    {
        ["customer"] = TestTokens.Customer(),
        ["expired"] = AbuseTokens.Expired(Ids.New()),
        ["foreign"] = AbuseTokens.Foreign(Ids.New()),
    };
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
        return await AbuseTarget.StartAsync("auth", app.Host, app, variables, userId);
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
        return await AbuseTarget.StartAsync("products", app.Host, app, variables, Ids.New());
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
        return await AbuseTarget.StartAsync("orders", app.Host, app, variables, ownerId);
    }
}

/// <summary>
/// Runs each corpus line over a real socket through the app's loopback gateway (Kestrel, the host's routing and function
/// keys), and in process through the app's dispatcher where the socket answers differently (<see cref="AbuseCase.OverSocket"/>)
/// or cannot carry the request (<see cref="AbuseCase.InProcessOnly"/>): never a 5xx, the expected status class, the
/// function the line names reached by routing, problem+json without internals for every error a function gives, no CR/LF
/// in response headers, and not one document of the app's database changed.
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

        if (abuse.InProcessOnly is null)
        {
            await OverTheSocketAsync(target, abuse, request);
        }

        if (abuse.InProcessOnly is not null || abuse.OverSocket is not null)
        {
            await InProcessAsync(target, abuse, request, abuse.Route.ToDictionary(r => r.Key, r => expand(r.Value)));
        }
    }

    private async Task OverTheSocketAsync(AbuseTarget target, AbuseCase abuse, RawRequest request)
    {
        var expected = abuse.OverSocket ?? new SocketAnswer(abuse.Expect, abuse.Function, "the function answers");
        var database = target.Host.Get<IMongoDatabase>();
        string? reached = null;
        target.Gateway.Routed = function => Volatile.Write(ref reached, function.Name);

        var before = await StateSnapshot.TakeAsync(database);
        var response = await WireExchange.SendAsync(target.Gateway.BaseAddress, request.ToWire(target.Gateway.BaseAddress, target.FunctionKey));
        var after = await StateSnapshot.TakeAsync(database);

        var label = $"{abuse} (over the socket)";
        output.WriteLine($"{label}: {Volatile.Read(ref reached) ?? "no function"} answered {response.Status} {response.Body[..Math.Min(300, response.Body.Length)]}");
        Assert.True(Volatile.Read(ref reached) == expected.Function,
            $"{label}: reached {Volatile.Read(ref reached) ?? "no function"}, expected {expected.Function ?? "none (Kestrel answers)"}: {expected.Why}");
        AbuseCorpus.AssertCleanAnswer(label, expected.Status, response, answeredByFunction: expected.Function is not null);
        StateSnapshot.AssertUnchanged(before, after, label);
    }

    private async Task InProcessAsync(AbuseTarget target, AbuseCase abuse, RawRequest request, IReadOnlyDictionary<string, string> route)
    {
        var database = target.Host.Get<IMongoDatabase>();
        var before = await StateSnapshot.TakeAsync(database);
        var response = await request.SendAsync(target.Dispatcher, abuse.Function, route);
        var after = await StateSnapshot.TakeAsync(database);

        var label = $"{abuse} (in process)";
        output.WriteLine($"{label}: {response.Status} {response.Body[..Math.Min(300, response.Body.Length)]}");
        AbuseCorpus.AssertCleanAnswer(label, abuse.Expect, response, answeredByFunction: true);
        StateSnapshot.AssertUnchanged(before, after, label);
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
        Assert.All(_cases.Values, c => Assert.False(c.OverSocket is not null && c.InProcessOnly is not null, $"{c}: either overSocket or inProcessOnly"));
        Assert.All(_cases.Values.Where(c => c.OverSocket is not null), c => Assert.True(
            c.OverSocket!.Why.Length > 0 && (c.OverSocket.Status is "2xx" or "4xx" or "any" || (int.TryParse(c.OverSocket.Status, out var status) && status is >= 200 and < 500)),
            $"{c}: overSocket needs a reason and a status below 500"));
        Assert.All(_cases.Values.Where(c => c.InProcessOnly is not null), c => Assert.True(c.InProcessOnly!.Trim().Length > 0, $"{c}: inProcessOnly needs a reason"));
        output.WriteLine($"{app}: {_cases.Count} lines; over the socket {_cases.Values.Count(c => c.InProcessOnly is null)} " +
            $"({_cases.Values.Count(c => c.OverSocket is not null)} answered differently there, also run in process); in process only {_cases.Values.Count(c => c.InProcessOnly is not null)}");
        Assert.True(_cases.Count >= 60, $"only {_cases.Count} lines for {app}");
    }

    [Fact]
    public void Each_line_is_routed_to_the_function_it_names_by_the_apps_own_route_table()
    {
        var routes = new FunctionRoutes(FunctionDispatcher.FunctionClassesOf(System.Reflection.Assembly.Load(assembly)));
        Assert.All(_cases.Values, c =>
        {
            var path = "/" + HttpFunction.RoutePrefix + "/" + System.Text.RegularExpressions.Regex.Replace(c.Path, @"\{\w+\}", "x");
            var match = routes.Match(c.Method, new Microsoft.AspNetCore.Http.PathString(path), new Microsoft.AspNetCore.Http.DefaultHttpContext());
            Assert.True(match is RouteMatch.Found found && found.Function.Name == c.Function, $"{c}: {c.Method} {path} routes to {match}");
        });
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
