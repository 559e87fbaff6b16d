using MongoDB.Driver;

namespace Shop.Shared.Mongo;

/// <summary>
/// A last word on the MongoClient's settings before the client is built (for example an event subscriber that counts
/// the commands a request sends). Every registered one is applied, in registration order.
/// </summary>
public interface IConfigureMongoClient
{
    void Configure(MongoClientSettings settings);
}
