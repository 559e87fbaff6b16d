namespace Shop.Testing.Gateway;

/// <summary>How <see cref="ShopGateway"/> runs the three apps.</summary>
public sealed record ShopGatewayOptions(GatewayServers Servers)
{
    /// <summary>Names the run's databases (shop_gw_{RunId}_{app}) and Redis prefixes (gw:{RunId}:{app}:): fresh per run.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>0: the system picks a port (tests); a fixed one for scripts.</summary>
    public int Port { get; init; }

    /// <summary>On by default, as in production; tests that send hundreds of requests from one client may turn it off.</summary>
    public bool RateLimiting { get; init; } = true;

    /// <summary>The key files of the compose stack, by app (auth.json, products.json, orders.json).</summary>
    public string KeyFilesDirectory { get; init; } = FunctionKeys.ComposeKeyFiles;

    /// <summary>Settings added to every app (they win over the gateway's own).</summary>
    public IReadOnlyDictionary<string, string?> ExtraSettings { get; init; } = new Dictionary<string, string?>();

    public string Database(string app) => $"shop_gw_{RunId}_{app}";

    public string RedisPrefix(string app) => $"gw:{RunId}:{app}:";
}
