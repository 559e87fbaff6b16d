using MongoDB.Bson;
using MongoDB.Driver;

namespace Shop.IntegrationTests.Abuse;

/// <summary>Every document of every collection of an app's database, as text: equal snapshots mean no state changed.</summary>
public static class StateSnapshot
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(IMongoDatabase database)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var names = await (await database.ListCollectionNamesAsync()).ToListAsync();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            var documents = await database.GetCollection<BsonDocument>(name).Find(FilterDefinition<BsonDocument>.Empty)
                .Sort(Builders<BsonDocument>.Sort.Ascending("_id")).ToListAsync();
            result[name] = $"{documents.Count}: " + string.Join("\n", documents.Select(d => d.ToJson()));
        }

        return result;
    }

    public static void AssertUnchanged(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string label)
    {
        foreach (var name in before.Keys.Union(after.Keys))
        {
            var was = before.GetValueOrDefault(name, "(absent)");
            var now = after.GetValueOrDefault(name, "(absent)");
            Assert.True(was == now, $"{label}: collection {name} changed\nbefore: {Cut(was)}\nafter:  {Cut(now)}");
        }
    }

    private static string Cut(string s) => s.Length <= 1500 ? s : s[..1500] + "…";
}
