namespace Shop.Shared.Security;

/// <summary>The authenticated user behind a request, as the access token says.</summary>
public sealed record Caller(string UserId, string Email, IReadOnlyList<string> Roles)
{
    public bool IsAdmin => Roles.Contains(ShopRoles.Admin, StringComparer.Ordinal);

    /// <summary>Object-level authorization: owners and admins may see a resource, nobody else.</summary>
    public bool MayAccess(string ownerId) => IsAdmin || string.Equals(UserId, ownerId, StringComparison.Ordinal);
}
