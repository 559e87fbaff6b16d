namespace Shop.Shared.Http;

/// <summary>Ids in routes are 32 lower-case hex characters (a Guid in "N" format); anything else is a 404, never a query.</summary>
public static class Ids
{
    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsValid(string? id) =>
        id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public static string Require(string? id) => IsValid(id) ? id! : throw Problems.NotFound();
}
