namespace Shop.Shared.Observability;

/// <summary>Section <c>Metrics</c>: where Prometheus scrapes an app.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public const int DefaultPort = 9464;

    /// <summary>
    /// The port of the separate /metrics listener. The Functions host owns the HTTP port and only forwards function
    /// routes to the worker, so the worker serves metrics on a port of its own; 0 turns the listener off.
    /// </summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>"+" listens on every interface (a container's); "localhost" keeps metrics off the network.</summary>
    public string Hostname { get; set; } = "+";

    public string Path { get; set; } = "/metrics";

    /// <summary>The static <c>app</c> label of every series; each app's registration sets it (auth, products, orders).</summary>
    public string? App { get; set; }

    /// <summary>.NET runtime metrics from prometheus-net's event-counter and meter adapters, started with the listener.</summary>
    public bool RuntimeMetrics { get; set; } = true;
}
