using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Http;

namespace Shop.Shared.Security;

/// <summary>What a function calls to learn who is asking: 401 without a valid bearer token, 403 without the role.</summary>
public static class BearerAuthentication
{
    private const string Scheme = "Bearer ";
    private const string CallerItem = "Shop.Security.Caller";

    public static async Task<Caller> RequireCallerAsync(this HttpRequest request)
    {
        if (!HasBearer(request))
        {
            throw Problems.Unauthorized();
        }

        return await request.AuthenticateAsync() ?? throw Problems.Unauthorized("The access token is invalid or expired.");
    }

    /// <summary>
    /// The caller of a valid bearer token, or null without one. Validated once per request and remembered, so the rate
    /// limiter (which partitions by user before the function runs) and the function share one validation.
    /// </summary>
    public static async Task<Caller?> AuthenticateAsync(this HttpRequest request)
    {
        var items = request.HttpContext.Items;
        if (items.TryGetValue(CallerItem, out var known))
        {
            return known as Caller;
        }

        if (!HasBearer(request))
        {
            return null;
        }

        var validator = request.HttpContext.RequestServices.GetRequiredService<AccessTokenValidator>();
        var caller = await validator.ValidateAsync(request.Headers.Authorization.ToString()[Scheme.Length..].Trim(), request.HttpContext.RequestAborted);
        items[CallerItem] = caller;
        return caller;
    }

    public static async Task<Caller> RequireAdminAsync(this HttpRequest request)
    {
        var caller = await request.RequireCallerAsync();
        return caller.IsAdmin ? caller : throw Problems.Forbidden("This operation needs the admin role.");
    }

    private static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);
}
