using MongoDB.Driver.Core.Servers;

namespace Shop.Shared.Mongo;

/// <summary>Section <c>Mongo</c>: where an app keeps its documents.</summary>
public sealed class MongoOptions
{
    public const string Section = "Mongo";

    public string ConnectionString { get; set; } = "mongodb://127.0.0.1:27017";

    public string Database { get; set; } = "shop";

    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait for the server's answer on an open connection. Without it a request sent on a pooled connection
    /// to a server that stopped answering (frozen, half-open TCP) waits until the request's own deadline and ends as a
    /// 504 instead of a 503. Keep it well under the request deadline and above the slowest expected operation.
    /// </summary>
    public TimeSpan SocketTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How the driver watches the server. Poll (a hello every heartbeat) is what the driver itself picks when it detects
    /// Azure Functions, so it is the default everywhere, tests and benchmarks included. Stream mode against a server
    /// that does not hold an awaitable hello open (the CongoDB stand-in) turns the monitor into a busy loop: it cost a
    /// cached product read 2-3 times its time in benchmark 1.
    /// </summary>
    public ServerMonitoringMode ServerMonitoringMode { get; set; } = ServerMonitoringMode.Poll;

    public int MaxConnectionPoolSize { get; set; } = 100;

    /// <summary>Operations allowed to wait for a pooled connection; beyond this the app answers 503 (the driver's default is 500).</summary>
    public int WaitQueueSize { get; set; } = 2000;
}
