using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.Benchmarks;

/// <summary>Sizes of one run: <c>--quick</c> (under 5 minutes on 2 cores with the build) or full.</summary>
internal sealed record Settings(bool Quick)
{
    public int Warmup => Quick ? 200 : 1000;

    public int Rounds => Quick ? 5 : 9;

    public int PerRound => Quick ? 300 : 2000;

    /// <summary>Products in the catalog for the miss and Zipf figures (CongoDB scans every one on each find).</summary>
    public int Products => Quick ? 200 : 1000;

    public int ZipfRequests => Quick ? 3000 : 20000;

    public static int Reservations => 1000;

    public static int HotStock => 100;

    public static int Writers => 50;

    public int UpdatesPerWriter => Quick ? 2 : 5;

    public int Orders => int.TryParse(Environment.GetEnvironmentVariable("SHOP_BENCH_ORDERS"), out var n) ? n : Quick ? 100 : 500;

    public static int OrdersInFlight => int.TryParse(Environment.GetEnvironmentVariable("SHOP_BENCH_ORDERS_IN_FLIGHT"), out var n) ? n : 16;

    public int OrdersAlone => Quick ? 30 : 100;

    public int OrdersThrottled => Quick ? 4 : 8;

    public int OutboxEvents => Quick ? 300 : 1000;

    public int OutboxRounds => Quick ? 1 : 3;
}

internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = new Settings(args.Contains("--quick"));
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? [];
        var markdownPath = args.SkipWhile(a => a != "--markdown").Skip(1).FirstOrDefault();
        var servers = await Servers.RequireAsync();
        Console.WriteLine($"Shop benchmarks ({(settings.Quick ? "quick" : "full")}); servers from {servers.Source}; MongoDB: {servers.MongoKind} at {servers.MongoUri}");
        if (servers.MongoKind.Contains("congo", StringComparison.OrdinalIgnoreCase))
        {
            Console.WriteLine("MongoDB is the CongoDB stand-in (in memory, scans every document on every operation): Mongo-bound figures prove behaviour, not MongoDB speed.");
        }

        var report = new Report();
        var total = Stopwatch.StartNew();
        var failures = 0;
        var steps = new (string Id, Func<Task> Run)[]
        {
            ("1", () => ProductBenchmarks.ReadsAsync(servers, settings, report)),
            ("2", () => ProductBenchmarks.TokenAndRateLimitAsync(servers, settings, report)),
            ("3", () => ProductBenchmarks.ReservationsAsync(servers, settings, report)),
            ("4", () => ProductBenchmarks.ContendedWritersAsync(servers, settings, report)),
            ("5", () => OrderBenchmarks.LifecycleAsync(settings, report)),
            ("6", () => OutboxBenchmarks.RelayAsync(settings, report)),
            ("8", () => CountBenchmarks.CountsAsync(report)),
        };
        foreach (var (id, run) in steps)
        {
            if (only.Length > 0 && !only.Contains(id))
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            Console.WriteLine($"-- benchmark {id}");
            try
            {
                await run();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                failures++;
                Console.Error.WriteLine($"benchmark {id} FAILED: {exception}");
                report.Add(new Row(id, "FAILED: " + exception.GetType().Name, exception.Message.ReplaceLineEndings(" ")[..Math.Min(200, exception.Message.Length)], "", "", ""));
                report.Ratio($"bench{id}=FAILED");
            }

            Console.WriteLine($"   ({clock.Elapsed.TotalSeconds:0.0} s)");
        }

        report.Note($"MongoDB: {servers.MongoKind}; benchmarks took {total.Elapsed.TotalSeconds:0} s; mode {(settings.Quick ? "quick" : "full")}.");
        var markdown = report.Markdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (markdownPath is not null)
        {
            await File.WriteAllTextAsync(markdownPath, markdown + Environment.NewLine + report.RatiosLine() + Environment.NewLine);
        }

        Console.WriteLine(report.RatiosLine());
        return failures == 0 ? 0 : 1;
    }
}
