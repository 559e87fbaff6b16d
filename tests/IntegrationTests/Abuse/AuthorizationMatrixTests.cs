using Microsoft.Azure.Functions.Worker;
using MongoDB.Driver;
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
/// One row of the authorization matrix: the function key level the function declares (asserted from the metadata, and
/// enforced by the loopback gateway as the Functions host does), the status each principal gets with the app's function
/// key, and for internal routes that every principal is refused without the internal service key.
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

        await CheckFunctionKeysAsync(world, endpoint, expectation, failures);
        Assert.True(failures.Count == 0, endpoint + ":\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// What the Functions host decides before the function runs: a function-level function is 401 without a key, with a
    /// wrong key and with another app's key (nothing changes), and takes its key as ?code= too; an anonymous one needs none.
    /// </summary>
    private async Task CheckFunctionKeysAsync(MatrixWorld world, string endpoint, Expectation expectation, List<string> failures)
    {
        var function = endpoint.Split('/')[1];
        var refused = expectation.Level == AuthorizationLevel.Anonymous ? [] : new[] { FunctionKeyUse.None, FunctionKeyUse.Wrong, FunctionKeyUse.OtherApp };
        foreach (var keyUse in refused)
        {
            var send = await world.PrepareAsync(function, Principal.Admin, ProductTestApp.InternalKey, keyUse);
            var before = await StateSnapshot.TakeAsync(world.Database);
            var response = await send();
            var after = await StateSnapshot.TakeAsync(world.Database);
            output.WriteLine($"{endpoint} as Admin with function key {keyUse}: {response.Status} (expected 401)");
            if (response.Status != 401 || !before.SequenceEqual(after))
            {
                failures.Add($"function key {keyUse}: {response.Status} (expected 401, no change): {response.Body}");
            }
        }

        var accepted = expectation.Level == AuthorizationLevel.Anonymous ? FunctionKeyUse.None : FunctionKeyUse.Query;
        var call = await world.PrepareAsync(function, Principal.Admin, ProductTestApp.InternalKey, accepted);
        var answer = await call();
        await world.SettleAsync(answer.Status is >= 200 and < 300);
        output.WriteLine($"{endpoint} as Admin with function key {accepted}: {answer.Status} (expected {expectation.Admin})");
        if (answer.Status != expectation.Admin)
        {
            failures.Add($"function key {accepted}: {answer.Status}, expected {expectation.Admin}: {answer.Body}");
        }
    }
}
