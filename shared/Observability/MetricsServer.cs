using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Shop.Shared.Observability;

/// <summary>
/// Serves the app's registry at <c>http://+:{Metrics:Port}{Metrics:Path}</c> with prometheus-net's stand-alone Kestrel
/// server, beside the Functions worker. A port that cannot be bound is logged, not fatal: losing metrics must not
/// take the app down.
/// </summary>
public sealed class MetricsServer(ShopMetrics metrics, IOptions<MetricsOptions> options, ILogger<MetricsServer> logger) : IHostedService, IDisposable
{
    private readonly List<IDisposable> _adapters = [];
    private IMetricServer? _server;

    public bool IsListening => _server is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Port <= 0)
        {
            logger.LogInformation("Metrics listener disabled (Metrics:Port is {Port})", settings.Port);
            return Task.CompletedTask;
        }

        if (settings.RuntimeMetrics)
        {
            var factory = Metrics.WithCustomRegistry(metrics.Registry);
            _adapters.Add(EventCounterAdapter.StartListening(new EventCounterAdapterOptions { Registry = metrics.Registry, MetricFactory = factory }));
            _adapters.Add(MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = metrics.Registry,
                MetricFactory = factory,
                // The runtime's private meters (msquic internals) are dozens of series nobody charts.
                InstrumentFilterPredicate = instrument => !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal),
            }));
        }

        try
        {
            _server = new KestrelMetricServer(settings.Hostname, settings.Port, settings.Path, metrics.Registry).Start();
            logger.LogInformation("Serving metrics on port {Port} at {Path}", settings.Port, settings.Path);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The metrics listener could not start on port {Port}; the app runs without it", settings.Port);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            _server = null;
        }

        Dispose();
    }

    public void Dispose()
    {
        _server?.Dispose();
        _server = null;
        foreach (var adapter in _adapters)
        {
            adapter.Dispose();
        }

        _adapters.Clear();
    }
}
