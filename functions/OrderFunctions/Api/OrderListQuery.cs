using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Http;

namespace Shop.Orders.Api;

/// <summary>
/// GET /api/orders?page=1&amp;pageSize=20&amp;all=false. pageSize above 100 is capped at 100; <c>all=true</c> (admins
/// only) lists every user's orders instead of the caller's own.
/// </summary>
public sealed record OrderListQuery(int Page, int PageSize, bool All)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 10_000;

    public static OrderListQuery Parse(IQueryCollection query)
    {
        var page = Number(query, "page", 1);
        var pageSize = Number(query, "pageSize", DefaultPageSize);
        if (page is < 1 or > MaxPage)
        {
            throw Problems.Validation("page", $"must be from 1 to {MaxPage}");
        }

        if (pageSize < 1)
        {
            throw Problems.Validation("pageSize", $"must be from 1 to {MaxPageSize}");
        }

        var all = query["all"].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            _ => throw Problems.Validation("all", "must be true or false"),
        };
        return new OrderListQuery(page, Math.Min(pageSize, MaxPageSize), all);
    }

    private static int Number(IQueryCollection query, string name, int fallback)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return fallback;
        }

        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Problems.Validation(name, "must be a whole number");
    }
}
