using MongoDB.Driver;
using StackExchange.Redis;

namespace Shop.Shared.Http;

/// <summary>Failures of a dependency that a retry may cure: answered with 503 and Retry-After, never 500.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        MongoWaitQueueFullException or MongoConnectionException or MongoNotPrimaryException or MongoNodeIsRecoveringException => true,
        MongoExecutionTimeoutException => true,
        // The driver pauses a server's pool when its monitor loses the server (a frozen or partitioned MongoDB) until
        // a heartbeat succeeds again.
        MongoConnectionPoolPausedException => true,
        TimeoutException or RedisConnectionException or RedisTimeoutException => true,
        _ => false,
    };
}
