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
