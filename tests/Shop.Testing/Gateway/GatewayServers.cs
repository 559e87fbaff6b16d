namespace Shop.Testing.Gateway;

/// <summary>The real servers the gateway's apps use (MongoDB or its stand-in, Redis, RabbitMQ).</summary>
public sealed record GatewayServers(string MongoUri, string Redis, string RabbitMqUri)
{
    /// <summary>From the SHOP_TEST_* variables scripts/servers.sh writes into .servers/env; null when one is missing.</summary>
    public static GatewayServers? FromVariables(Func<string, string?> read) =>
        (read("SHOP_TEST_MONGODB_URI"), read("SHOP_TEST_REDIS"), read("SHOP_TEST_RABBITMQ_URI")) is ({ } mongo, { } redis, { } rabbit)
            ? new GatewayServers(mongo, redis, rabbit)
            : null;
}
