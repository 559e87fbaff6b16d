using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Testing.Infrastructure;
using Shop.Testing.Apps;
using Shop.Products.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Http;
using Shop.Shared.Mongo;
using Shop.Testing.Mongo;
using Shop.Testing.Durable;
using Shop.Testing.Redis;
using StackExchange.Redis;
using static Shop.Benchmarks.Report;

namespace Shop.Benchmarks;

/// <summary>
/// Figure 8: counts that do not move with the machine's load (steps and round trips), each taken from the outside (the engine's
/// history, the Redis client's profiler, the MongoDB driver's command events), so they stay right whatever the code
/// they count becomes. Each instrument first counts a raw operation of known size, so a count of 0 means none.
/// </summary>
internal static class CountBenchmarks
{
    private const int CachedGets = 100;
    private const int Reservations = 10;
    private const int BareActivities = 3;

    public static async Task CountsAsync(Report report)
    {
        await ActivitiesPerOrderAsync(report);
        await RedisCallsPerCachedGetAsync(report);
        await MongoOpsPerReservationAsync(report);
    }

    private static async Task ActivitiesPerOrderAsync(Report report)
    {
        IReadOnlyList<string> activities;
        await using (var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object))
        {
            var orderId = await OrderBenchmarks.RunOneAsync(app, TestTokens.Customer(), TestTokens.Admin(), Ids.New());
            activities = OrchestrationHistory.ActivityNames(app.Durable, orderId);
        }

        var bare = await BareOrchestrationActivitiesAsync();
        ProductBenchmarks.Require(bare == BareActivities, $"the history of a bare orchestration of {BareActivities} activities shows {bare} scheduled");
        report.Add(new Row("8a", "activities per completed order: TaskScheduled events in its orchestration history (place, reserve, pay, confirm, ship, deliver, complete), in-process Durable engine",
            $"{activities.Count} ({Tally(activities)})", $"bare orchestration of {BareActivities} no-op activities, counted the same way: {bare}",
            F(activities.Count / (double)bare, 2) + "x", $"<= 4: {Verdict(activities.Count <= 4)}"));
        report.Ratio($"activities-per-order={activities.Count}");
    }

    /// <summary>The baseline of figure 8a (and the counter's check): a bare orchestration on an engine of its own.</summary>
    private static async Task<int> BareOrchestrationActivitiesAsync()
    {
        using var logs = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning));
        await using var engine = await InProcessDurableEngine.StartOnFreePortAsync(registry =>
        {
            registry.AddOrchestratorFunc<int, int>("BareOrchestration", async (context, steps) =>
            {
                var done = 0;
                for (var step = 0; step < steps; step++)
                {
                    done += await context.CallActivityAsync<int>("NoOp", 1);
                }

                return done;
            });
            registry.AddActivityFunc<int, int>("NoOp", (_, value) => value);
        }, logs);
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync("BareOrchestration", BareActivities);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await engine.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, deadline.Token);
        ProductBenchmarks.Require(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"bare orchestration ended {metadata.RuntimeStatus}");
        return OrchestrationHistory.ActivityNames(engine, id).Count;
    }

    private static async Task RedisCallsPerCachedGetAsync(Report report)
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        string productId;
        await using (var seeding = await ProductTestApp.StartAsync(environment))
        {
            productId = (await seeding.CreateProductAsync(stock: 10)).Id;
        }

        // The default policies (api-key, user) with their default limits, far above the requests sent here.
        var limited = await CommandsPerCachedGetAsync(environment, productId, rateLimiting: true);
        var unlimited = await CommandsPerCachedGetAsync(environment, productId, rateLimiting: false);
        var perGet = limited.Count / (double)CachedGets;
        report.Add(new Row("8b", $"Redis commands per cached GET /api/products/{{id}} (in-memory hit, after warm-up), rate limiting on (default policies api-key and user), mean of {CachedGets}, the app multiplexer's profiler",
            $"{Count(perGet)} ({Tally(limited)} in {CachedGets} GETs)", $"rate limiting off, same requests: {Count(unlimited.Count / (double)CachedGets)}", "",
            $"0 (<= 1 with one script): {Verdict(perGet <= 1)}"));
        report.Ratio($"redis-calls-per-cached-get={Count(perGet)}");
    }

    private static async Task<IReadOnlyList<string>> CommandsPerCachedGetAsync(AppEnvironment environment, string productId, bool rateLimiting)
    {
        await using var app = await ProductTestApp.StartAsync(environment, new Dictionary<string, string?> { ["RateLimiting:Enabled"] = rateLimiting ? "true" : "false" });
        var redis = app.Host.Get<IConnectionMultiplexer>();
        var counter = new RedisCommandCounter(redis);
        counter.Start();
        await redis.GetDatabase().StringGetAsync(environment.RedisPrefix + "bench:count-check");
        var check = counter.Stop();
        ProductBenchmarks.Require(check.Count == 1, $"the Redis profiler counted {check.Count} commands for one raw GET: {Tally(check)}");

        var request = LeanInvoker.Request("GET", $"products/{productId}", bearer: TestTokens.Customer(),
            headers: new Dictionary<string, string> { ["x-functions-key"] = "bench-counts-function-key" });
        async Task GetAsync()
        {
            var (status, _) = await LeanInvoker.SendAsync(app.Host, request);
            ProductBenchmarks.Require(status == 200, $"cached GET (rate limiting {(rateLimiting ? "on" : "off")}): {status}");
        }

        // The first read fills the cache; the others make sure the count starts on a steady in-memory hit.
        for (var i = 0; i < 10; i++)
        {
            await GetAsync();
        }

        counter.Start();
        for (var i = 0; i < CachedGets; i++)
        {
            await GetAsync();
        }

        return counter.Stop();
    }

    private static async Task MongoOpsPerReservationAsync(Report report)
    {
        // Every collection: a reservation's outbox insert counts as much as its stock update.
        var counter = new MongoCommandCounter();
        await using var app = await ProductTestApp.StartAsync(overrides: services => services.AddSingleton<IConfigureMongoClient>(counter));
        // Far above the low-stock threshold: a reservation that crosses it also stores an outbox event (one more insert).
        var plenty = await app.CreateProductAsync(stock: 1000);
        var scarce = await app.CreateProductAsync(stock: 1);

        var products = app.Host.Get<IMongoDatabase>().GetCollection<BsonDocument>(CatalogStore.CollectionName);
        var check = Names(await counter.CountAsync(() =>
            products.UpdateOneAsync(new BsonDocument("_id", "bench-count-check"), new BsonDocument("$inc", new BsonDocument("stock", -1)))));
        ProductBenchmarks.Require(check.Count == 1, $"the driver's command events counted {check.Count} commands for one raw update: {Tally(check)}");

        async Task<int> ReserveAsync(string productId, int quantity)
        {
            var request = LeanInvoker.Request("POST", "internal/reservations",
                new { orderId = Ids.New(), items = new[] { new { productId, quantity } } },
                headers: new Dictionary<string, string> { ["x-internal-key"] = ProductTestApp.InternalKey });
            return (await LeanInvoker.SendAsync(app.Host, request)).Status;
        }

        async Task<IReadOnlyList<string>> CountAsync(string productId, int quantity, int expectedStatus) =>
            Names(await counter.CountAsync(async () =>
            {
                for (var i = 0; i < Reservations; i++)
                {
                    var status = await ReserveAsync(productId, quantity);
                    ProductBenchmarks.Require(status == expectedStatus, $"reservation of {quantity}: {status}, expected {expectedStatus}");
                }
            }));

        // One of each first, so that nothing the first call of a path does once (a collection's first use) is counted.
        ProductBenchmarks.Require(await ReserveAsync(plenty.Id, 1) == 200, "warm-up reservation refused");
        ProductBenchmarks.Require(await ReserveAsync(scarce.Id, 2) == 409, "warm-up short reservation not refused");
        var reserved = await CountAsync(plenty.Id, 1, 200);
        var rejected = await CountAsync(scarce.Id, 2, 409);
        var perReservation = reserved.Count / (double)Reservations;
        var perRejection = rejected.Count / (double)Reservations;
        report.Add(new Row("8c", $"MongoDB commands per one-item reservation, success path, stock above the low-stock threshold (mean of {Reservations} in sequence; the driver's command events on the products app's own client)",
            $"{Count(perReservation)} ({Tally(reserved)} in {Reservations})", "the invariant's own work: one conditional update, counted the same way: 1",
            F(perReservation, 2) + "x", $"<= 2: {Verdict(perReservation <= 2)}"));
        report.Add(new Row("8d", $"MongoDB commands per rejected reservation, plain short stock (2 asked, 1 in stock; mean of {Reservations})",
            $"{Count(perRejection)} ({Tally(rejected)} in {Reservations})", "one conditional update that takes nothing: 1",
            F(perRejection, 2) + "x", $"<= 1: {Verdict(perRejection <= 1)}"));
        report.Ratio($"mongo-ops-per-reservation={Count(perReservation)}");
        report.Ratio($"mongo-ops-per-rejection={Count(perRejection)}");
    }

    private static List<string> Names(IEnumerable<MongoCommand> commands) => [.. commands.Select(c => c.Name)];

    /// <summary>"find x10, insert x10": what was counted, by name, in the order first seen.</summary>
    private static string Tally(IReadOnlyList<string> names) => names.Count == 0 ? "none"
        : string.Join(", ", names.GroupBy(n => n, StringComparer.Ordinal).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} x{g.Count()}"));
}
