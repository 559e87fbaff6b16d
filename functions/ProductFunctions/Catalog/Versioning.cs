using System.Globalization;
using MongoDB.Driver;

namespace Shop.Products.Catalog;

/// <summary>What an If-Match header asked for.</summary>
public abstract record Precondition
{
    private Precondition()
    {
    }

    public sealed record Missing : Precondition;

    public sealed record Malformed(string Reason) : Precondition;

    public sealed record Version(long Expected) : Precondition;
}

/// <summary>
/// Optimistic locking as small pure functions, used by every write path: parse the client's version, build the filter
/// that only matches that version, compute the next one. A write whose filter matches nothing lost the race.
/// </summary>
public static class Versioning
{
    public const long Initial = 1;

    public static readonly Func<long, long> Next = version => version + 1;

    public static readonly Func<Product, long, bool> IsCurrent = (stored, expected) => stored.Version == expected;

    public static readonly Func<string, long, FilterDefinition<Product>> SameVersion = (id, expected) =>
        Builders<Product>.Filter.Eq(p => p.Id, id) & Builders<Product>.Filter.Eq(p => p.Version, expected);

    /// <summary>Accepts exactly one strong entity tag holding a positive version: <c>"7"</c>.</summary>
    public static Precondition ParseIfMatch(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return new Precondition.Missing();
        }

        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            return new Precondition.Malformed("If-Match needs a strong entity tag, not a weak one");
        }

        if (value.Length is < 3 or > 22 || value[0] != '"' || value[^1] != '"')
        {
            return new Precondition.Malformed("If-Match must be one quoted version, e.g. \"3\"");
        }

        return long.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= Initial
            ? new Precondition.Version(version)
            : new Precondition.Malformed("If-Match must be one quoted version, e.g. \"3\"");
    }
}
