namespace Shop.Shared.Security;

/// <summary>The claim names of Shop access tokens.</summary>
public static class ShopClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Role = "role";
    public const string TokenType = "at+jwt";
}
