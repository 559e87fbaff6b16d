namespace Shop.Shared.Mongo;

/// <summary>Section <c>Mongo</c>: where an app keeps its documents.</summary>
public sealed class MongoOptions
{
    public const string Section = "Mongo";

    public string ConnectionString { get; set; } = "mongodb://127.0.0.1:27017";

    public string Database { get; set; } = "shop";

    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
