using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Testing.Infrastructure;
using Shop.Testing.Apps;
using Shop.Products.Catalog;
using Shop.Shared.Http;
using Shop.Shared.RateLimiting;
using Shop.Shared.Security;
using StackExchange.Redis;
using static Shop.Benchmarks.Report;

namespace Shop.Benchmarks;

/// <summary>Figures 1, 2, 3, 4 and 7: ProductFunctions in process (FunctionTestHost, real middleware) on the real servers.</summary>
internal static class ProductBenchmarks
{
    public static async Task ReadsAsync(ServerEndpoints servers, Settings s, Report report)
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        await using var app = await ProductTestApp.StartAsync(environment);
        var hot = await app.CreateProductAsync(stock: 100);
        var first = await app.GetAsync(hot.Id);
        Require(first.Status == 200, "GET of the hot product: " + first);
        var payload = Encoding.UTF8.GetBytes(first.Body);

        using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis);
        var db = redis.GetDatabase();
        var rawKey = environment.RedisPrefix + "bench:raw-payload";
        await db.StringSetAsync(rawKey, payload, TimeSpan.FromMinutes(30));

        var hotRequest = LeanInvoker.Request("GET", $"products/{hot.Id}");

        async Task Read(int _)
        {
            var (status, _) = await LeanInvoker.SendAsync(app.Host, hotRequest);
            Require(status == 200, "cache-hit read: " + status);
        }

        async Task ReadThroughTestHost(int _)
        {
            var response = await app.GetAsync(hot.Id);
            Require(response.Status == 200, "cache-hit read: " + response);
        }

        async Task RawGet(int _) => Require(!(await db.StringGetAsync(rawKey)).IsNull, "raw GET found nothing");

        Task Harness(int _) => LeanInvoker.SendInPlaceOfAsync(app.Host, hotRequest, "GetProduct", () => Task.CompletedTask);

        // The test host invokes through the same dispatcher as LeanInvoker: its harness around an empty body is this one.
        async Task HarnessThroughTestHost(int _)
        {
            var status = await LeanInvoker.SendInPlaceOfAsync(app.Host, hotRequest, "GetProduct", () => Task.CompletedTask);
            Require(status == 200, "empty function: " + status);
        }

        var (hit, rawGet) = await Measure.PairAsync(Read, RawGet, s.Warmup, s.Rounds, s.PerRound);
        var hitRatio = hit / rawGet;
        report.Add(new Row("1a", $"product read, cache hit (HybridCache L1), ProductFunctions.Get + the shared middleware, in process", Us(hit),
            $"raw StackExchange.Redis GET, {payload.Length} B: {Us(rawGet)}", F(hitRatio, 2) + "x", $"<= 2x: {Verdict(hitRatio <= 2)}"));

        double l2Ratio;

        // The same read when the entry must come from Redis (in-memory copy expires after 100 ns), like another instance.
        await using (var remote = await ProductTestApp.StartAsync(environment, new Dictionary<string, string?> { ["Cache:LocalExpiration"] = "00:00:00.0000001" }))
        {
            async Task ReadRemote(int _)
            {
                var (status, _) = await LeanInvoker.SendAsync(remote.Host, hotRequest);
                Require(status == 200, "Redis-hit read: " + status);
            }

            // Proof that these reads reach Redis: the app's own multiplexer counts the operations it sent.
            var remoteRedis = remote.Host.Get<IConnectionMultiplexer>();
            var sentBefore = remoteRedis.GetCounters().Interactive.OperationCount;
            var (l2, raw2) = await Measure.PairAsync(ReadRemote, RawGet, s.Warmup, s.Rounds, s.PerRound);
            var perRead = (remoteRedis.GetCounters().Interactive.OperationCount - sentBefore) / (double)(s.Warmup + (s.Rounds * s.PerRound));
            report.Note($"1b: {F(perRead, 2)} Redis operations per read were sent by the app's multiplexer (1.0 means every read went to Redis).");
            l2Ratio = l2 / raw2;
            report.Add(new Row("1b", "product read, cache hit served from Redis (in-memory copy kept 100 ns, so it has always expired: as on another instance)", Us(l2),
                $"raw GET: {Us(raw2)}", F(l2Ratio, 2) + "x", $"<= 2x: {Verdict(l2Ratio <= 2)}"));
            await using var noDeadline = await ProductTestApp.StartAsync(environment, new Dictionary<string, string?>
            {
                ["Cache:LocalExpiration"] = "00:00:00.0000001",
                ["RequestTimeout:Default"] = "00:00:00",
            });

            async Task ReadWithoutDeadline(int _)
            {
                var (status, _) = await LeanInvoker.SendAsync(noDeadline.Host, hotRequest);
                Require(status == 200, "Redis-hit read: " + status);
            }

            // The function's invocation (scope, HttpContext, middleware) around any body, with an empty 200 response.
            Func<int, Task> RemoteHarness(Func<Task> body) => _ => LeanInvoker.SendInPlaceOfAsync(remote.Host, hotRequest, "GetProduct", body);

            await RedisHitDecomposition.AddRowsAsync(remote, db, rawKey, hot.Id, ReadRemote, ReadWithoutDeadline, RemoteHarness, s, report);
        }

        var (harness, raw3) = await Measure.PairAsync(Harness, RawGet, s.Warmup, s.Rounds, s.PerRound);
        report.Add(new Row("1c", "in-process harness + middleware around an empty function (no I/O)", Us(harness),
            $"raw GET: {Us(raw3)}", F(harness / raw3, 2) + "x", "(what bounds 1a)"));
        var (testHostRead, testHostHarness) = await Measure.PairAsync(ReadThroughTestHost, HarnessThroughTestHost, s.Warmup / 10, s.Rounds, s.PerRound / 10);
        report.Add(new Row("1f", "the same read through the tests' FunctionTestHost (the same Shop.Testing pipeline and FunctionContext as 1a)", Us(testHostRead),
            $"FunctionTestHost, empty function: {Us(testHostHarness)}", F(testHostRead / rawGet, 1) + "x raw GET", "(harness cost, not Shop's)"));

        // Misses: every product read once through the function (Redis miss, MongoDB find, Redis set) vs a raw find by _id.
        var ids = new string[s.Products];
        await Parallel.ForAsync(0, s.Products, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ids[i] = (await app.CreateProductAsync(stock: 10, name: "Item " + i.ToString(CultureInfo.InvariantCulture))).Id);
        // Raw driver calls on the app's own client (same pool settings), untyped documents, no cache.
        var products = app.Host.Get<IMongoDatabase>().GetCollection<BsonDocument>(CatalogStore.CollectionName);

        async Task Miss(int i)
        {
            var (status, _) = await LeanInvoker.SendAsync(app.Host, LeanInvoker.Request("GET", $"products/{ids[i]}"));
            Require(status == 200, "cache-miss read: " + status);
        }

        async Task RawFind(int i) => Require(await products.Find(new BsonDocument("_id", ids[i])).FirstOrDefaultAsync() is not null, "raw find found nothing");

        const int missWarmup = 10;
        var missRounds = 5;
        var missPerRound = (s.Products - missWarmup) / missRounds;
        var (miss, rawFind) = await Measure.PairAsync(Miss, RawFind, missWarmup, missRounds, missPerRound);
        report.Add(new Row("1d", $"product read, cache miss, via the function ({s.Products + 1} products)", Us(miss),
            $"raw MongoDB find by _id: {Us(rawFind)}", F(miss / rawFind, 2) + "x", "(context)"));

        // Hit ratio under Zipf(s = 1) over the catalog, starting from a cold cache (a Redis prefix of its own).
        await using (var zipfApp = await ProductTestApp.StartAsync(environment with { RedisPrefix = environment.RedisPrefix + "zipf:" }))
        {
            var before = await CacheCountsAsync(zipfApp);
            var zipf = new Zipf(s.Products, 1.0, seed: 7);
            var seen = new HashSet<int>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < s.ZipfRequests; i++)
            {
                var rank = zipf.Next();
                seen.Add(rank);
                var (status, _) = await LeanInvoker.SendAsync(zipfApp.Host, LeanInvoker.Request("GET", $"products/{ids[rank]}"));
                Require(status == 200, "Zipf read: " + status);
            }

            var elapsed = clock.Elapsed;
            var after = await CacheCountsAsync(zipfApp);
            var hits = after.Hits - before.Hits;
            var misses = after.Misses - before.Misses;
            var ratio = hits / (hits + misses);
            var ideal = 1 - (seen.Count / (double)s.ZipfRequests);
            report.Add(new Row("1e", $"hit ratio, Zipf s=1 over {s.Products} products, {s.ZipfRequests} reads ({F(s.ZipfRequests / elapsed.TotalSeconds, 0)} reads/s)",
                F(ratio * 100, 1) + " %", $"ideal (every repeat a hit): {F(ideal * 100, 1)} %", F(ratio / ideal, 3), "(context)"));
            report.Ratio($"zipf-hit={F(ratio, 3)}/{F(ideal, 3)}");
        }

        // 7: allocations per request on the hot read path.
        var count = s.Quick ? 2000 : 10000;
        var readBytes = await Measure.AllocatedPerCallAsync(Read, 200, count);
        var harnessBytes = await Measure.AllocatedPerCallAsync(Harness, 200, count);
        var rawBytes = await Measure.AllocatedPerCallAsync(RawGet, 200, count);
        report.Add(new Row("7a", "allocated per cache-hit read (whole process: request, middleware, function, cache)", F(readBytes, 0) + " B",
            $"raw GET: {F(rawBytes, 0)} B", F(readBytes / rawBytes, 1) + "x", "(context)"));
        report.Add(new Row("7b", "of which the invocation + middleware around an empty function", F(harnessBytes, 0) + " B",
            $"read minus that: {F(readBytes - harnessBytes, 0)} B", "", "(context)"));
        var testHostBytes = await Measure.AllocatedPerCallAsync(ReadThroughTestHost, 20, count / 10);
        report.Add(new Row("7c", "allocated per read through the tests' FunctionTestHost", F(testHostBytes, 0) + " B",
            $"raw GET: {F(rawBytes, 0)} B", F(testHostBytes / rawBytes, 1) + "x", "(harness cost, not Shop's)"));

        report.Ratio($"cache-hit={F(hitRatio, 2)}x(<=2:{Verdict(hitRatio <= 2)})");
        report.Ratio($"cache-hit-redis={F(l2Ratio, 2)}x(<=2:{Verdict(l2Ratio <= 2)})");
        report.Ratio($"cache-miss={F(miss / rawFind, 2)}x");
        report.Ratio($"alloc-read={F(readBytes, 0)}B");
    }

    public static async Task TokenAndRateLimitAsync(ServerEndpoints servers, Settings s, Report report)
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        await using var app = await ProductTestApp.StartAsync(environment, new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:Policies:bench:PermitLimit"] = "100000000",
            ["RateLimiting:Policies:bench:Window"] = "00:01:00",
            ["RateLimiting:Policies:bench:Algorithm"] = "TokenBucket",
            ["RateLimiting:Policies:bench:PartitionBy"] = "User",
        });
        var validator = app.Host.Get<AccessTokenValidator>();
        var limiter = app.Host.Get<DistributedRateLimiter>();
        var policy = limiter.Policies.Named("bench") ?? throw new InvalidOperationException("no bench policy");
        var token = TestTokens.Customer("bench-user");

        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestTokens.PublicKeyPem);
        var rawHandler = new JsonWebTokenHandler { MapInboundClaims = false };
        var rawParameters = new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = TestTokens.Kid },
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidIssuer = "shop-auth",
            ValidAudience = "shop-api",
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis);
        var db = redis.GetDatabase();
        var rawKey = environment.RedisPrefix + "bench:counter";

        async Task Validate(int _) => Require(await validator.ValidateAsync(token, CancellationToken.None) is not null, "token rejected");

        async Task RawValidate(int _) => Require((await rawHandler.ValidateTokenAsync(token, rawParameters)).IsValid, "raw validation failed");

        async Task Limit(int _) => Require((await limiter.AcquireAsync(policy, "bench-user", CancellationToken.None)).Allowed, "rate limited");

        Task RawRedis(int _) => db.StringIncrementAsync(rawKey);

        async Task Both(int i)
        {
            await Validate(i);
            await Limit(i);
        }

        async Task RawBoth(int i)
        {
            await RawValidate(i);
            await RawRedis(i);
        }

        var (validate, rawValidate) = await Measure.PairAsync(Validate, RawValidate, s.Warmup, s.Rounds, s.PerRound);
        report.Add(new Row("2a", "access-token validation (AccessTokenValidator, RS256)", Us(validate),
            $"raw JsonWebTokenHandler: {Us(rawValidate)}", F(validate / rawValidate, 2) + "x", "(context)"));
        var (limit, rawRedis) = await Measure.PairAsync(Limit, RawRedis, s.Warmup, s.Rounds, s.PerRound);
        report.Add(new Row("2b", "rate-limit check (DistributedRateLimiter, Redis token bucket)", Us(limit),
            $"raw Redis INCR: {Us(rawRedis)}", F(limit / rawRedis, 2) + "x", "(context)"));
        var (both, rawBoth) = await Measure.PairAsync(Both, RawBoth, s.Warmup, s.Rounds, s.PerRound);
        report.Add(new Row("2c", "per request: validation + rate-limit check", Us(both),
            $"raw JWT + raw INCR: {Us(rawBoth)}", F(both / rawBoth, 2) + "x", "(context)"));
        report.Ratio($"token+ratelimit={F(both / rawBoth, 2)}x");
    }

    public static async Task ReservationsAsync(ServerEndpoints servers, Settings s, Report report)
    {
        var rounds = s.Quick ? 3 : 5;
        var shopRates = new List<double>();
        var rawRates = new List<double>();
        var sameWorkRates = new List<double>();
        var shopCpu = new List<(double Server, double Client)>();
        var rawCpu = new List<(double Server, double Client)>();
        var sameWorkCpu = new List<(double Server, double Client)>();
        var cpu = ProcessorTime.For(servers.MongoKind == "congodb" ? "congodb" : "none");
        for (var round = 0; round < rounds; round++)
        {
            var environment = await ProductTestApp.NewEnvironmentAsync();
            await using var app = await ProductTestApp.StartAsync(environment);
            var product = await app.CreateProductAsync(stock: Settings.HotStock);

            var internalKey = new Dictionary<string, string> { ["x-internal-key"] = ProductTestApp.InternalKey };
            var requests = Enumerable.Range(0, Settings.Reservations).Select(_ => LeanInvoker.Request("POST", "internal/reservations",
                new { orderId = Ids.New(), items = new[] { new { productId = product.Id, quantity = 1 } } }, headers: internalKey)).ToList();
            cpu.Start();
            var clock = Stopwatch.StartNew();
            var responses = await Task.WhenAll(requests.Select(request =>
                LeanInvoker.SendAsync(app.Host, request)));
            var elapsed = clock.Elapsed;
            shopCpu.Add(cpu.PerOperation(Settings.Reservations));
            var accepted = responses.Count(r => r.Status == 200);
            var rejected = responses.Count(r => r.Status == 409);
            var stored = await app.ReadStoredAsync(product.Id) ?? throw new InvalidOperationException("hot product vanished");
            Require(accepted == Settings.HotStock && rejected == Settings.Reservations - Settings.HotStock && stored.Stock == 0 && stored.ReservedFor.Count == Settings.HotStock,
                $"reservations: {accepted} accepted, {rejected} rejected, stock left {stored.Stock}, markers {stored.ReservedFor.Count}; other statuses: " +
                string.Join(",", responses.Where(r => r.Status is not 200 and not 409).Select(r => r.Status).Distinct()));
            shopRates.Add(Settings.Reservations / elapsed.TotalSeconds);
            Console.WriteLine($"   reservations round {round + 1}: {accepted} of {Settings.Reservations} succeeded = the stock of {Settings.HotStock}; stock left {stored.Stock}");

            // The same conditional update, raw, on a document in the same collection, at the same concurrency.
            var collection = app.Host.Get<IMongoDatabase>().GetCollection<BsonDocument>(CatalogStore.CollectionName);
            var rawId = "raw-" + Ids.New();
            await collection.InsertOneAsync(new BsonDocument { ["_id"] = rawId, ["stock"] = Settings.HotStock, ["version"] = 1L, ["reservedFor"] = new BsonDocument() });
            var filter = Builders<BsonDocument>.Filter;
            cpu.Start();
            clock.Restart();
            var raw = await Task.WhenAll(Enumerable.Range(0, Settings.Reservations).Select(_ =>
            {
                var marker = "reservedFor." + Ids.New();
                return collection.FindOneAndUpdateAsync<BsonDocument?>(
                    filter.Eq("_id", rawId) & filter.Gte("stock", 1) & filter.Exists(marker, exists: false),
                    Builders<BsonDocument>.Update.Inc("stock", -1).Inc("version", 1L).Set(marker, 1).Set("updatedAt", DateTime.UtcNow),
                    new FindOneAndUpdateOptions<BsonDocument, BsonDocument?> { ReturnDocument = ReturnDocument.After });
            }));
            elapsed = clock.Elapsed;
            rawCpu.Add(cpu.PerOperation(Settings.Reservations));
            var rawAccepted = raw.Count(d => d is not null);
            Require(rawAccepted == Settings.HotStock, $"raw conditional updates: {rawAccepted} succeeded, expected {Settings.HotStock}");
            rawRates.Add(Settings.Reservations / elapsed.TotalSeconds);

            // What bounds the function: the MongoDB work it does per reservation, done raw at the same concurrency, no
            // HTTP, JSON or cache: read the stock; if short, store the rejection; else insert the idempotency record,
            // run the conditional update and record the outcome (the rare lost race pays one more read, not counted).
            var records = app.Host.Get<IMongoDatabase>().GetCollection<BsonDocument>("bench_raw_reservations");
            var rawId2 = "raw2-" + Ids.New();
            await collection.InsertOneAsync(new BsonDocument { ["_id"] = rawId2, ["stock"] = Settings.HotStock, ["version"] = 1L, ["reservedFor"] = new BsonDocument() });
            cpu.Start();
            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, Settings.Reservations).Select(async _ =>
            {
                var orderId = Ids.New();
                var marker = "reservedFor." + orderId;
                var level = await collection.Find(filter.Eq("_id", rawId2)).Project(Builders<BsonDocument>.Projection.Include("stock")).FirstAsync();
                if (level["stock"].AsInt32 < 1)
                {
                    await records.InsertOneAsync(new BsonDocument { ["_id"] = orderId, ["status"] = "Rejected", ["createdAt"] = DateTime.UtcNow });
                    return;
                }

                await records.InsertOneAsync(new BsonDocument { ["_id"] = orderId, ["status"] = "Pending", ["createdAt"] = DateTime.UtcNow });
                var taken = await collection.FindOneAndUpdateAsync<BsonDocument?>(
                    filter.Eq("_id", rawId2) & filter.Gte("stock", 1) & filter.Exists(marker, exists: false),
                    Builders<BsonDocument>.Update.Inc("stock", -1).Inc("version", 1L).Set(marker, 1).Set("updatedAt", DateTime.UtcNow),
                    new FindOneAndUpdateOptions<BsonDocument, BsonDocument?> { ReturnDocument = ReturnDocument.After });
                await records.UpdateOneAsync(new BsonDocument("_id", orderId), Builders<BsonDocument>.Update.Set("status", taken is null ? "Rejected" : "Reserved"));
            }));
            sameWorkRates.Add(Settings.Reservations / clock.Elapsed.TotalSeconds);
            sameWorkCpu.Add(cpu.PerOperation(Settings.Reservations));
        }

        var shop = Measure.Median(shopRates);
        var rawRate = Measure.Median(rawRates);
        var ratio = shop / rawRate;
        report.Add(new Row("3", $"{Settings.Reservations} concurrent reservations on one product of stock {Settings.HotStock}: exactly {Settings.HotStock} succeeded (asserted)",
            F(shop, 0) + " req/s", $"raw concurrent findOneAndUpdate: {F(rawRate, 0)} ops/s", F(ratio, 2), $">= 0.5: {Verdict(ratio >= 0.5)}"));
        var sameWork = Measure.Median(sameWorkRates);
        report.Add(new Row("3b", "the same MongoDB work per reservation done raw (read stock; short: store the rejection; else insert record, conditional update, record outcome), same concurrency",
            F(shop, 0) + " req/s", $"raw: {F(sameWork, 0)} ops/s", F(shop / sameWork, 2), "(what bounds 3)"));
        if (cpu.KnowsServer)
        {
            var (shopServer, shopClient) = (Measure.Median(shopCpu.Select(c => c.Server).ToList()), Measure.Median(shopCpu.Select(c => c.Client).ToList()));
            var (rawServer, rawClient) = (Measure.Median(rawCpu.Select(c => c.Server).ToList()), Measure.Median(rawCpu.Select(c => c.Client).ToList()));
            var (sameServer, sameClient) = (Measure.Median(sameWorkCpu.Select(c => c.Server).ToList()), Measure.Median(sameWorkCpu.Select(c => c.Client).ToList()));
            report.Add(new Row("3c", "CPU per reservation: the MongoDB server (CongoDB, one Node.js thread) and, in brackets, this process (function, middleware, driver)",
                $"{Us(shopServer)} ({Us(shopClient)})", $"raw conditional update: {Us(rawServer)} ({Us(rawClient)}); 3b raw same work: {Us(sameServer)} ({Us(sameClient)})",
                F((rawServer + rawClient) / (shopServer + shopClient), 2), "(what bounds 3)"));
        }
        report.Ratio($"reservations={F(ratio, 2)}(>=0.5:{Verdict(ratio >= 0.5)})");
    }

    public static async Task ContendedWritersAsync(ServerEndpoints servers, Settings s, Report report)
    {
        _ = servers;
        var environment = await ProductTestApp.NewEnvironmentAsync();
        await using var app = await ProductTestApp.StartAsync(environment);
        var admin = TestTokens.Admin();
        var successes = Settings.Writers * s.UpdatesPerWriter;

        async Task<(int Conflicts, TimeSpan Elapsed, long FinalVersion)> RunAsync(int writers, int updatesEach)
        {
            var product = await app.CreateProductAsync(stock: 10);
            var conflicts = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
            {
                var read = await LeanInvoker.SendAsync(app.Host, LeanInvoker.Request("GET", $"products/{product.Id}"));
                Require(read.Status == 200, "writer read: " + read.Status);
                var etag = read.ETag;
                for (var done = 0; done < updatesEach;)
                {
                    var body = new { sku = product.Sku, name = "Kettle " + w, description = "A kettle", category = "kitchen", price = 1000L + w, currency = "EUR", stock = 10 };
                    var request = LeanInvoker.Request("PUT", $"products/{product.Id}", body, admin, new Dictionary<string, string> { ["If-Match"] = etag! });
                    var response = await LeanInvoker.SendAsync(app.Host, request);
                    if (response.Status == 412)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                    else
                    {
                        Require(response.Status == 200, "replace: " + response.Status);
                        done++;
                    }

                    etag = response.ETag;
                }
            }));
            var elapsed = clock.Elapsed;
            var stored = await app.ReadStoredAsync(product.Id) ?? throw new InvalidOperationException("product vanished");
            return (conflicts, elapsed, stored.Version);
        }

        var contended = await RunAsync(Settings.Writers, s.UpdatesPerWriter);
        Require(contended.FinalVersion == 1 + successes, $"lost update: version {contended.FinalVersion}, expected {1 + successes}");
        var uncontended = await RunAsync(1, successes);
        Require(uncontended.FinalVersion == 1 + successes && uncontended.Conflicts == 0, "uncontended run saw conflicts");
        var contendedRate = successes / contended.Elapsed.TotalSeconds;
        var uncontendedRate = successes / uncontended.Elapsed.TotalSeconds;
        var perSuccess = contended.Conflicts / (double)successes;
        report.Add(new Row("4", $"{Settings.Writers} writers x {s.UpdatesPerWriter} updates on one product, retry on 412: {contended.Conflicts} conflicts, {F(perSuccess, 1)} retries per success, no update lost (asserted)",
            F(contendedRate, 0) + " updates/s", $"1 writer, {successes} sequential updates: {F(uncontendedRate, 0)} updates/s", F(contendedRate / uncontendedRate, 2), "(context)"));
        report.Ratio($"contended={F(contendedRate / uncontendedRate, 2)}(retries/success={F(perSuccess, 1)})");
    }

    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static async Task<(double Hits, double Misses)> CacheCountsAsync(ProductTestApp app)
    {
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);
        return (metrics.Value("shop_cache_requests_total", ("cache", "product"), ("result", "hit")),
            metrics.Value("shop_cache_requests_total", ("cache", "product"), ("result", "miss")));
    }
}
