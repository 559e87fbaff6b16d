namespace Shop.Shared.Mongo;

/// <summary>Section <c>Mongo</c>: where an app keeps its documents.</summary>
public sealed class MongoOptions
{
    public const string Section = "Mongo";

    public string ConnectionString { get; set; } = "mongodb://127.0.0.1:27017";

    public string Database { get; set; } = "shop";

    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxConnectionPoolSize { get; set; } = 100;

    /// <summary>Operations allowed to wait for a pooled connection; beyond this the app answers 503 (the driver's default is 500).</summary>
    public int WaitQueueSize { get; set; } = 2000;
}
