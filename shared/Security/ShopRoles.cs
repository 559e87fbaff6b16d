namespace Shop.Shared.Security;

public static class ShopRoles
{
    public const string Admin = "admin";
    public const string Customer = "customer";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Admin, Customer };
}
