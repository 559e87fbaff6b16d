namespace Shop.Testing.Infrastructure;

/// <summary>
/// What the instances of one app "deployment" share in a test: the real servers, a database of their own and a Redis
/// key prefix of their own, so tests run in parallel without seeing each other's data.
/// </summary>
public sealed record AppEnvironment(ServerEndpoints Servers, string Database, string RedisPrefix)
{
    public static async Task<AppEnvironment> NewAsync(string app)
    {
        var servers = await Infrastructure.Servers.RequireAsync();
        var id = Guid.NewGuid().ToString("N")[..12];
        return new AppEnvironment(servers, $"shop_test_{app}_{id}", $"test:{id}:");
    }

    /// <summary>The settings every app reads to reach the servers, plus the caller's extra ones (which win).</summary>
    public Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?> appSettings, IDictionary<string, string?>? extraSettings)
    {
        var settings = new Dictionary<string, string?>(appSettings)
        {
            ["Mongo:ConnectionString"] = Servers.MongoUri,
            ["Mongo:Database"] = Database,
            ["Redis:Configuration"] = Servers.Redis,
            ["Redis:KeyPrefix"] = RedisPrefix,
            ["RabbitMq:Uri"] = Servers.RabbitMqUri,
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
