using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Shared.Http;

namespace Shop.Products.Catalog;

/// <summary>A validated list query: bounded paging, an optional category, safe text search and a stable sort.</summary>
public sealed record CatalogQuery(int Page, int PageSize, string? Category, string? Text, string Sort)
{
    public const int MaximumPageSize = 100;
    public const int MaximumPage = 10_000;
    public const int MaximumTextLength = 100;

    private static readonly Dictionary<string, SortDefinition<Product>> s_sorts = new(StringComparer.Ordinal)
    {
        ["name"] = Builders<Product>.Sort.Ascending(p => p.Name).Ascending(p => p.Id),
        ["-name"] = Builders<Product>.Sort.Descending(p => p.Name).Ascending(p => p.Id),
        ["price"] = Builders<Product>.Sort.Ascending(p => p.Price).Ascending(p => p.Id),
        ["-price"] = Builders<Product>.Sort.Descending(p => p.Price).Ascending(p => p.Id),
        ["createdAt"] = Builders<Product>.Sort.Ascending(p => p.CreatedAt).Ascending(p => p.Id),
        ["-createdAt"] = Builders<Product>.Sort.Descending(p => p.CreatedAt).Ascending(p => p.Id),
    };

    public string CacheKey => string.Create(CultureInfo.InvariantCulture, $"products:list:{Page}:{PageSize}:{Category}:{Sort}:{Text}");

    public SortDefinition<Product> SortDefinition => s_sorts[Sort];

    public FilterDefinition<Product> Filter
    {
        get
        {
            var filter = Builders<Product>.Filter.Empty;
            if (Category is not null)
            {
                filter &= Builders<Product>.Filter.Eq(p => p.Category, Category);
            }

            if (Text is not null)
            {
                // Escaped: the user's text is matched literally, never interpreted as a pattern.
                filter &= Builders<Product>.Filter.Regex(p => p.Name, new BsonRegularExpression(Regex.Escape(Text), "i"));
            }

            return filter;
        }
    }

    public static CatalogQuery From(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var page = ReadInt(query, "page", 1, 1, MaximumPage, errors);
        var pageSize = ReadInt(query, "pageSize", 20, 1, MaximumPageSize, errors);
        var category = Single(query, "category", errors);
        if (category is not null && !Regex.IsMatch(category, "^[a-z0-9][a-z0-9-]{0,63}$"))
        {
            errors["category"] = ["must be 1-64 lower-case letters, digits or '-'"];
        }

        var text = Single(query, "q", errors);
        if (text is not null && (text.Length > MaximumTextLength || text.Any(char.IsControl)))
        {
            errors["q"] = [$"must be at most {MaximumTextLength} printable characters"];
        }

        var sort = Single(query, "sort", errors) ?? "name";
        if (!s_sorts.ContainsKey(sort))
        {
            errors["sort"] = ["must be one of " + string.Join(", ", s_sorts.Keys)];
        }

        return errors.Count > 0
            ? throw Problems.Validation(errors)
            : new CatalogQuery(page, pageSize, category, string.IsNullOrWhiteSpace(text) ? null : text.Trim(), sort);
    }

    private static string? Single(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            errors[name] = ["must be given once"];
            return null;
        }

        return values[0];
    }

    private static int ReadInt(IQueryCollection query, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        var text = Single(query, name, errors);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"must be a whole number from {min} to {max}"];
        return fallback;
    }
}
