using System.Text;
using Prometheus;

namespace Shop.Shared.Observability;

/// <summary>
/// Every Shop metric, by its Prometheus name, in the app's own registry (one per service provider, so each test app
/// counts alone). Every series also carries the registry's static <c>app</c> label.
/// </summary>
public sealed class ShopMetrics
{
    public static readonly double[] RequestDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _httpRequests;
    private readonly Histogram _httpDuration;
    private readonly Counter _cacheRequests;
    private readonly Counter _rateLimitRejections;
    private readonly Counter _rateLimitFallback;
    private readonly Counter _outboxPublished;
    private readonly Gauge _outboxBacklog;
    private readonly Gauge _outboxOldestAge;
    private readonly Counter _consumerFailures;
    private readonly Counter _consumerDeadLettered;

    public ShopMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        _httpRequests = factory.CreateCounter(
            "shop_http_requests_total", "HTTP invocations by function, method and status code.", "function", "method", "status");
        _httpDuration = factory.CreateHistogram(
            "shop_http_request_duration_seconds", "Time from the worker receiving an HTTP invocation to its result.",
            new HistogramConfiguration { LabelNames = ["function", "method"], Buckets = RequestDurationBuckets });
        _cacheRequests = factory.CreateCounter(
            "shop_cache_requests_total", "Cache reads; a miss is a read that had to load from the database.", "cache", "result");
        _rateLimitRejections = factory.CreateCounter(
            "shop_rate_limit_rejections_total", "Requests answered 429 by a rate-limit policy.", "policy");
        _rateLimitFallback = factory.CreateCounter(
            "shop_rate_limit_fallback_total", "Rate-limit decisions taken in memory because Redis was unreachable.");
        _outboxPublished = factory.CreateCounter(
            "shop_outbox_published_total", "Integration events confirmed by the broker, by type (order.paid, product.stock_low, ...).", "type");
        _outboxBacklog = factory.CreateGauge(
            "shop_outbox_backlog", "Events stored in the outbox and not yet confirmed by the broker.");
        _outboxOldestAge = factory.CreateGauge(
            "shop_outbox_oldest_unsent_age_seconds", "How long the oldest unsent outbox event has waited.");
        _consumerFailures = factory.CreateCounter(
            "shop_consumer_failures_total", "Event handler runs that failed (each is retried or dead-lettered).", "queue");
        _consumerDeadLettered = factory.CreateCounter(
            "shop_consumer_dead_lettered_total", "Messages rejected into the queue's dead-letter queue.", "queue");
    }

    public CollectorRegistry Registry { get; }

    public void HttpRequestCompleted(string function, string method, int status, TimeSpan duration)
    {
        _httpRequests.WithLabels(function, method, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        _httpDuration.WithLabels(function, method).Observe(duration.TotalSeconds);
    }


    public void CacheRead(string cache, bool hit) => _cacheRequests.WithLabels(cache, hit ? "hit" : "miss").Inc();

    public void RateLimitRejected(string policy) => _rateLimitRejections.WithLabels(policy).Inc();

    public void RateLimitFellBack() => _rateLimitFallback.Inc();

    public void OutboxPublished(string type) => _outboxPublished.WithLabels(type).Inc();

    public void OutboxBacklog(long count, TimeSpan oldestAge)
    {
        _outboxBacklog.Set(count);
        _outboxOldestAge.Set(Math.Max(0, oldestAge.TotalSeconds));
    }

    public void ConsumerFailed(string queue) => _consumerFailures.WithLabels(queue).Inc();

    public void ConsumerDeadLettered(string queue) => _consumerDeadLettered.WithLabels(queue).Inc();

    /// <summary>The exposition Prometheus would scrape, as text.</summary>
    public async Task<string> ExportAsTextAsync(CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
