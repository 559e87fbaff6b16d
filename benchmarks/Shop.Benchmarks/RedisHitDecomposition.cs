using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Shop.Testing.Apps;
using Shop.Products.Catalog;
using Shop.Shared.Redis;
using StackExchange.Redis;
using static Shop.Benchmarks.Report;

namespace Shop.Benchmarks;

/// <summary>
/// Figure 1b taken apart: the same Redis hit read through each layer the function adds, from a raw GET up to the whole
/// function, in interleaved rounds of one run, so each row's step over the previous one is that layer's cost.
/// </summary>
internal static class RedisHitDecomposition
{
    private static readonly RedisValue[] RedisCacheFields = ["absexp", "sldexp", "data"];

    public static async Task AddRowsAsync(ProductTestApp remote, IDatabase db, RedisKey rawKey, string productId, Func<int, Task> function,
        Func<int, Task> functionWithoutDeadline, Func<Func<Task>, Func<int, Task>> harness, Settings s, Report report)
    {
        var appRedis = remote.Host.Get<IConnectionMultiplexer>();
        var instanceName = remote.Host.Get<IOptions<RedisOptions>>().Value.KeyPrefix + "cache:";
        var key = "product:" + productId;
        RedisKey storedKey = instanceName + key;
        using var redisCache = new RedisCache(Options.Create(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = () => Task.FromResult(appRedis),
            InstanceName = instanceName,
        }));
        var bufferCache = (IBufferDistributedCache)redisCache;
        var appL2 = remote.Host.Get<IDistributedCache>();
        var hybrid = remote.Host.Get<HybridCache>();
        var productCache = remote.Host.Get<ProductCache>();
        var noLocalCache = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache };
        using var neverCanceled = new CancellationTokenSource();
        var writer = new ArrayBufferWriter<byte>(1024);

        static ValueTask<ProductView?> Miss(CancellationToken _) => ValueTask.FromException<ProductView?>(new InvalidOperationException("expected a Redis hit, the factory ran"));
        static Task<ProductView?> MissTask(CancellationToken _) => Task.FromException<ProductView?>(new InvalidOperationException("expected a Redis hit, the load ran"));

        async Task RawGet(int _) => ProductBenchmarks.Require(!(await db.StringGetAsync(rawKey)).IsNull, "raw GET found nothing");
        async Task RawHashGet(int _) => ProductBenchmarks.Require(!(await db.HashGetAsync(storedKey, RedisCacheFields))[2].IsNull, "raw HMGET found nothing");
        async Task RedisCacheGet(int _) => ProductBenchmarks.Require(await redisCache.GetAsync(key) is not null, "RedisCache.GetAsync found nothing");

        async Task RedisCacheBuffer(int _)
        {
            writer.ResetWrittenCount();
            ProductBenchmarks.Require(await bufferCache.TryGetAsync(key, writer), "RedisCache.TryGetAsync found nothing");
        }

        async Task AppL2Get(int _) => ProductBenchmarks.Require(await appL2.GetAsync(key) is not null, "the app's IDistributedCache found nothing");
        async Task Hybrid(int _) => ProductBenchmarks.Require(await hybrid.GetOrCreateAsync(key, Miss, noLocalCache) is not null, "HybridCache returned null");
        async Task HybridCancelable(int _) => ProductBenchmarks.Require(await hybrid.GetOrCreateAsync(key, Miss, noLocalCache, cancellationToken: neverCanceled.Token) is not null, "HybridCache returned null");
        async Task Product(int _) => ProductBenchmarks.Require(await productCache.GetAsync(productId, MissTask, CancellationToken.None) is not null, "ProductCache returned null");
        async Task ProductCancelable(int _) => ProductBenchmarks.Require(await productCache.GetAsync(productId, MissTask, neverCanceled.Token) is not null, "ProductCache returned null");

        // The same call started without the caller's ExecutionContext (AsyncLocals: Activity, log scopes) flowing into it.
        Task ProductWithoutFlow(int i)
        {
            using (ExecutionContext.SuppressFlow())
            {
                return ProductCancelable(i);
            }
        }

        // What one thread-pool dispatch costs under the machine's current load (HybridCache adds one or two per Redis hit).
        async Task RawGetThenHop(int i)
        {
            await RawGet(i);
            await Task.Yield();
        }

        async Task RawGetThenTwoHops(int i)
        {
            await RawGetThenHop(i);
            await Task.Yield();
        }

        // In-run baseline of the view's serializer and immutability: the same value as the type was before (a mutable
        // record, so every hit deserializes a copy, with HybridCache's default reflection JSON).
        var view = await productCache.GetAsync(productId, MissTask, CancellationToken.None) ?? throw new InvalidOperationException("no product");
        var legacyView = new LegacyProductView(view.Id, view.Sku, view.Name, view.Description, view.Category, view.Price, view.Currency, view.Stock, view.Version, view.CreatedAt, view.UpdatedAt);
        var keep = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(30), LocalCacheExpiration = TimeSpan.FromMinutes(30) };
        await hybrid.SetAsync("bench-l1:" + key, view, keep);
        await hybrid.SetAsync("bench-l1-legacy:" + key, legacyView, keep);
        static ValueTask<LegacyProductView?> LegacyMiss(CancellationToken _) => ValueTask.FromException<LegacyProductView?>(new InvalidOperationException("expected a hit"));
        async Task LocalHit(int _) => ProductBenchmarks.Require(await hybrid.GetOrCreateAsync("bench-l1:" + key, Miss) is not null, "no L1 hit");
        async Task LegacyLocalHit(int _) => ProductBenchmarks.Require(await hybrid.GetOrCreateAsync("bench-l1-legacy:" + key, LegacyMiss) is not null, "no L1 hit");
        async Task LegacyHybrid(int _) => ProductBenchmarks.Require(await hybrid.GetOrCreateAsync(key, LegacyMiss, noLocalCache) is not null, "HybridCache returned null");

        Func<int, Task>[] layers = [RawGet, RawHashGet, RedisCacheGet, RedisCacheBuffer, AppL2Get, Hybrid, HybridCancelable, Product, ProductCancelable, function, functionWithoutDeadline, harness(() => RawGet(0)),
            RawGetThenHop, RawGetThenTwoHops, LocalHit, LegacyLocalHit, LegacyHybrid, harness(() => RawGetThenHop(0)), harness(() => ProductCancelable(0)),
            harness(() => ProductWithoutFlow(0))];
        var perCall = new List<string>();
        foreach (var (name, layer) in new[] { ("RedisCache.GetAsync", layers[2]), ("RedisCache.TryGetAsync", layers[3]), ("app IDistributedCache", layers[4]), ("HybridCache", layers[5]), ("ProductCache", layers[7]), ("function", layers[9]) })
        {
            var before = appRedis.GetCounters().Interactive.OperationCount;
            for (var i = 0; i < 100; i++)
            {
                await layer(i);
            }

            perCall.Add($"{name} {F((appRedis.GetCounters().Interactive.OperationCount - before) / 100.0, 2)}");
        }

        report.Note("1g-1x: Redis operations per call sent by the app's multiplexer: " + string.Join(", ", perCall) + ".");

        // Many short rounds: on a shared 2-core box the load shifts within a second, and twenty operations take a while each.
        var (t, fastest) = await Measure.InterleavedAsync(s.Warmup, s.Rounds * 30, s.PerRound / 30, layers);
        var raw = t[0];
        string[] names = ["raw GET", "HMGET", "RedisCache.GetAsync", "RedisCache.TryGetAsync", "app IDistributedCache", "HybridCache", "HybridCache, token",
            "ProductCache", "ProductCache, token", "function", "function, no deadline", "harness around raw GET",
            "raw GET + 1 dispatch", "raw GET + 2 dispatches", "L1 hit", "L1 hit, pre-change type", "HybridCache, pre-change type",
            "harness around raw GET + 1 dispatch", "harness around ProductCache", "harness around ProductCache, no EC flow"];
        report.Note("1g-1x: fastest round of each (the least disturbed by other load): " + string.Join(", ", names.Select((n, i) => $"{n} {Us(fastest[i])}")) + ".");
        void Add(string id, string measure, int layer, int previous, string step) => report.Add(new Row(id, measure, Us(t[layer]),
            $"raw GET: {Us(raw)}; {step}: {(t[layer] - t[previous] >= 0 ? "+" : "")}{Us(t[layer] - t[previous])}", F(t[layer] / raw, 2) + "x", "(what bounds 1b)"));

        Add("1g", "1b decomposed, same interleaved run: raw HMGET absexp sldexp data (the hash RedisCache stores)", 1, 0, "over raw GET");
        Add("1h", "RedisCache.GetAsync (IDistributedCache, byte[]), a RedisCache of its own on the app's multiplexer", 2, 1, "over HMGET");
        Add("1i", "RedisCache as IBufferDistributedCache.TryGetAsync (HMGET metadata + HGET data, pipelined)", 3, 2, "vs GetAsync");
        Add("1j", "the app's IDistributedCache.GetAsync (FailSafeDistributedCache over RedisCache)", 4, 2, "over RedisCache.GetAsync");
        Add("1k", "HybridCache.GetOrCreateAsync, local cache disabled, no cancellation token", 5, 4, "over the app's IDistributedCache");
        Add("1l", "the same with a cancelable token (what the Functions host's RequestAborted gives)", 6, 5, "over no token");
        Add("1m", "ProductCache.GetAsync (local copy expired: L1 read, Redis, L1 write, metrics)", 7, 5, "over HybridCache without L1");
        Add("1n", "the same with a cancelable token", 8, 7, "over no token");
        Add("1o", "the whole function (1b again, in this run; the request deadline makes RequestAborted cancelable)", 9, 8, "over ProductCache, cancelable");
        Add("1p", "the whole function with no request deadline (RequestTimeout:Default 0: RequestAborted cannot cancel)", 10, 7, "over ProductCache, no token");
        Add("1q", "harness + middleware around a function that only awaits the raw GET (no cache, no response body)", 11, 0, "over raw GET");
        Add("1r", "harness + middleware around a function that awaits the raw GET, then one dispatch", 17, 11, "over 1q");
        Add("1s", "harness + middleware around a function that only awaits ProductCache.GetAsync (no response body)", 18, 8, "over ProductCache, cancelable");
        Add("1t", "the same, ProductCache started with ExecutionContext flow suppressed (the invocation's AsyncLocals do not follow)", 19, 18, "vs 1s");
        Add("1u", "raw GET, then one thread-pool dispatch (await Task.Yield()): the price of a hop under this run's load", 12, 0, "over raw GET");
        Add("1v", "raw GET, then two dispatches", 13, 0, "over raw GET");
        report.Add(new Row("1w", "HybridCache L1 hit, ProductView ([ImmutableObject], source-generated JSON): the cached instance", Us(t[14]),
            $"the pre-change type (mutable: a deserialized copy per hit, reflection JSON): {Us(t[15])}", F(t[14] / t[15], 2) + "x", "(change in this run)"));
        report.Add(new Row("1x", "HybridCache Redis hit without L1, ProductView", Us(t[5]),
            $"the pre-change type: {Us(t[16])}", F(t[5] / t[16], 2) + "x", "(change in this run)"));
    }

    private sealed record LegacyProductView(
        string Id, string Sku, string Name, string Description, string Category, long Price, string Currency, int Stock,
        long Version, DateTime CreatedAt, DateTime UpdatedAt);
}
