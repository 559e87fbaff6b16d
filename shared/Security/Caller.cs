namespace Shop.Shared.Security;

/// <summary>The authenticated user behind a request, as the access token says.</summary>
public sealed record Caller(string UserId, string Email, IReadOnlyList<string> Roles)
{
    public bool IsAdmin => Roles.Contains(ShopRoles.Admin, StringComparer.Ordinal);

    /// <summary>Object-level authorization: owners and admins may see a resource, nobody else.</summary>
    public bool MayAccess(string ownerId) => IsAdmin || string.Equals(UserId, ownerId, StringComparison.Ordinal);
}

public static class ShopRoles
{
    public const string Admin = "admin";
    public const string Customer = "customer";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Admin, Customer };
}

/// <summary>The claim names of Shop access tokens.</summary>
public static class ShopClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Role = "role";
    public const string TokenType = "at+jwt";
}
