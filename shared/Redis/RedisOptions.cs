namespace Shop.Shared.Redis;

/// <summary>Section <c>Redis</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefixes every key so several apps or test runs can share one server.</summary>
    public string KeyPrefix { get; set; } = "shop:";
}
