using MongoDB.Driver;

namespace Shop.Shared.Mongo;

public static class MongoErrors
{
    /// <summary>True for E11000: the database itself refused a second document with the same unique key.</summary>
    public static bool IsDuplicateKey(this MongoException exception) => exception switch
    {
        MongoWriteException write => write.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoCommandException command => command.Code == 11000,
        MongoBulkWriteException bulk => bulk.WriteErrors.Any(e => e.Category == ServerErrorCategory.DuplicateKey),
        _ => false,
    };
}

public static class MongoCollectionExtensions
{
    /// <summary>
    /// Inserts the document; false when one with the same unique key exists. The database decides, never a read before
    /// the write, so of two concurrent inserts exactly one wins.
    /// </summary>
    public static async Task<bool> TryInsertOneAsync<T>(this IMongoCollection<T> collection, T document, CancellationToken cancellationToken)
    {
        try
        {
            await collection.InsertOneAsync(document, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoException exception) when (exception.IsDuplicateKey())
        {
            return false;
        }
    }
}
