using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Observability;

namespace Shop.IntegrationTests.Observability;

/// <summary>What Prometheus would scrape after scripted calls through the real functions and middleware.</summary>
public sealed class MetricsTests
{
    private static object Order(string orderId, string productId, int quantity) =>
        new { orderId, items = new[] { new { productId, quantity } } };

    [SkippableFact]
    public async Task A_scripted_session_shows_requests_conflicts_cache_reads_and_rejections_with_their_labels()
    {
        await using var app = await ProductTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:Policies:one-list:PermitLimit"] = "1",
            ["RateLimiting:Policies:one-list:Algorithm"] = "SlidingWindow",
            ["RateLimiting:Policies:one-list:PartitionBy"] = "ClientAddress",
            ["RateLimiting:Functions:ListProducts"] = "one-list",
        });
        var input = ProductTestApp.SampleInput();

        var created = await app.CreateAsync(input);
        var id = created.Document.GetProperty("id").GetString()!;
        var statuses = new[]
        {
            created.Status,
            (await app.GetAsync(id)).Status,
            (await app.GetAsync(id)).Status,
            (await app.ReplaceAsync(id, input, "\"1\"")).Status,
            (await app.ReplaceAsync(id, input, "\"1\"")).Status,
            (await app.ListAsync()).Status,
            (await app.ListAsync()).Status,
        };
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.Equal([201, 200, 200, 200, 412, 200, 429], statuses);
        Assert.Equal(1, metrics.Value("shop_http_requests_total", ("function", "CreateProduct"), ("method", "POST"), ("status", "201")));
        Assert.Equal(2, metrics.Value("shop_http_requests_total", ("function", "GetProduct"), ("method", "GET"), ("status", "200")));
        Assert.Equal(1, metrics.Value("shop_http_requests_total", ("function", "ReplaceProduct"), ("method", "PUT"), ("status", "412")));
        Assert.Equal(1, metrics.Value("shop_http_requests_total", ("function", "ListProducts"), ("method", "GET"), ("status", "429")));
        Assert.Equal(2, metrics.Value("shop_http_request_duration_seconds_count", ("function", "GetProduct"), ("method", "GET")));
        Assert.Equal(2, metrics.Value("shop_http_request_duration_seconds_bucket", ("function", "GetProduct"), ("le", "+Inf")));
        Assert.Equal(1, metrics.Value("shop_version_conflicts_total", ("entity", "product")));
        Assert.Equal(1, metrics.Value("shop_cache_requests_total", ("cache", "product"), ("result", "miss")));
        Assert.Equal(1, metrics.Value("shop_cache_requests_total", ("cache", "product"), ("result", "hit")));
        Assert.Equal(1, metrics.Value("shop_cache_requests_total", ("cache", "product-list"), ("result", "miss")));
        Assert.Equal(1, metrics.Value("shop_rate_limit_rejections_total", ("policy", "one-list")));
        Assert.Equal(0, metrics.Value("shop_rate_limit_fallback_total"));
        Assert.All(metrics.Samples.Where(s => s.Name.StartsWith("shop_", StringComparison.Ordinal)), s => Assert.Equal("products", s.Labels["app"]));
        Assert.True(metrics.Has("process_cpu_seconds_total") && metrics.Has("dotnet_total_memory_bytes"), "runtime basics are exported");
    }

    [SkippableFact]
    public async Task Each_app_counts_in_its_own_registry()
    {
        await using var first = await ProductTestApp.StartAsync();
        await using var second = await ProductTestApp.StartAsync();

        await first.CreateProductAsync();

        Assert.Equal(1, (await MetricsSnapshot.ScrapeAsync(first.Host.Services)).Value("shop_http_requests_total", ("function", "CreateProduct")));
        Assert.Equal(0, (await MetricsSnapshot.ScrapeAsync(second.Host.Services)).Value("shop_http_requests_total", ("function", "CreateProduct")));
    }

    [SkippableFact]
    public async Task Reservation_outcomes_and_the_unsent_outbox_backlog_are_exposed()
    {
        await using var app = await ProductTestApp.StartAsync();
        var product = await app.CreateProductAsync(stock: 3);

        var reserved = await app.ReserveAsync(Order("order-metrics-1", product.Id, 1));
        var refused = await app.ReserveAsync(Order("order-metrics-2", product.Id, 10));
        var released = await app.ReleaseAsync("order-metrics-1");
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.Equal([200, 409, 204], new[] { reserved.Status, refused.Status, released.Status });
        Assert.Equal(1, metrics.Value("shop_reservations_total", ("outcome", "reserved")));
        Assert.Equal(1, metrics.Value("shop_reservations_total", ("outcome", "insufficient_stock")));
        Assert.Equal(1, metrics.Value("shop_reservations_total", ("outcome", "released")));
        // The stock fell below the low-stock threshold: one product.stock_low event waits, as no relay runs here.
        Assert.Equal(1, metrics.Value("shop_outbox_backlog", ("app", "products")));
        Assert.True(metrics.Has("shop_outbox_oldest_unsent_age_seconds"));
    }

    [SkippableFact]
    public async Task Failed_logins_and_the_lockout_they_start_are_counted()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?> { ["Auth:Lockout:FailuresPerAccountAndClient"] = "2" });
        var (_, email, _) = await app.NewUserAsync();

        var first = await app.LoginAsync(new { email, password = "wrong password number one" });
        var second = await app.LoginAsync(new { email, password = "wrong password number two" });
        var locked = await app.LoginAsync(new { email, password = "correct horse battery staple" });
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.Equal([401, 401, 429], new[] { first.Status, second.Status, locked.Status });
        Assert.Equal(2, metrics.Value("shop_login_failures_total", ("app", "auth")));
        Assert.Equal(1, metrics.Value("shop_login_lockouts_total", ("app", "auth")));
        Assert.Equal(1, metrics.Value("shop_http_requests_total", ("function", "Login"), ("status", "429")));
    }

    [Fact]
    public async Task The_listener_serves_the_registry_on_its_own_port()
    {
        var port = FreePort();
        await using var services = MetricsOnly(port);
        var server = services.GetServices<IHostedService>().OfType<MetricsServer>().Single();
        new Shop.Orders.Workflow.OrderMetrics(services.GetRequiredService<Prometheus.CollectorRegistry>()).OrderTransition("Paid");

        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient();
        var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        var body = await response.Content.ReadAsStringAsync();
        await server.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sample = body.Split('\n').Where(l => l.StartsWith("shop_order_transitions_total{", StringComparison.Ordinal)).Select(MetricsSnapshot.Sample.Parse).Single();
        Assert.Equal(("orders", "Paid", 1.0), (sample.Labels["app"], sample.Labels["status"], sample.Value));
        Assert.Contains("process_cpu_seconds_total", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_or_port_zero_leaves_the_app_running_without_a_listener()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var busyPort = ((IPEndPoint)occupant.LocalEndpoint).Port;
        await using var busy = MetricsOnly(busyPort);
        await using var off = MetricsOnly(0);
        var busyServer = busy.GetServices<IHostedService>().OfType<MetricsServer>().Single();
        var offServer = off.GetServices<IHostedService>().OfType<MetricsServer>().Single();

        await busyServer.StartAsync(CancellationToken.None);
        await offServer.StartAsync(CancellationToken.None);

        Assert.False(busyServer.IsListening);
        Assert.False(offServer.IsListening);
        await busyServer.StopAsync(CancellationToken.None);
    }

    private static ServiceProvider MetricsOnly(int port)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Metrics:Hostname"] = "127.0.0.1",
            ["Metrics:RuntimeMetrics"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Critical));
        services.SetMetricsApp("orders");
        services.AddShopMetricsServer();
        return services.BuildServiceProvider();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
