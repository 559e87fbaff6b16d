using MongoDB.Bson;
using MongoDB.Driver;
using StackExchange.Redis;

namespace Shop.Shared.Health;

public sealed class MongoCheck(IMongoDatabase database) : IDependencyCheck
{
    public string Name => "mongodb";

    public Task CheckAsync(CancellationToken cancellationToken) =>
        database.RunCommandAsync((Command<BsonDocument>)"{ ping: 1 }", cancellationToken: cancellationToken);
}

public sealed class RedisCheck(IConnectionMultiplexer redis) : IDependencyCheck
{
    public string Name => "redis";

    public Task CheckAsync(CancellationToken cancellationToken) => redis.GetDatabase().PingAsync();
}
