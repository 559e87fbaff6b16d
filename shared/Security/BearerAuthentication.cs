using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Http;

namespace Shop.Shared.Security;

/// <summary>What a function calls to learn who is asking: 401 without a valid bearer token, 403 without the role.</summary>
public static class BearerAuthentication
{
    private const string Scheme = "Bearer ";

    public static async Task<Caller> RequireCallerAsync(this HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Problems.Unauthorized();
        }

        var validator = request.HttpContext.RequestServices.GetRequiredService<AccessTokenValidator>();
        var caller = await validator.ValidateAsync(header[Scheme.Length..].Trim(), request.HttpContext.RequestAborted);
        return caller ?? throw Problems.Unauthorized("The access token is invalid or expired.");
    }

    public static async Task<Caller> RequireAdminAsync(this HttpRequest request)
    {
        var caller = await request.RequireCallerAsync();
        return caller.IsAdmin ? caller : throw Problems.Forbidden("This operation needs the admin role.");
    }
}
