using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.Auth.Sessions;

public sealed class SessionFunctions(SessionService sessions)
{
    [Function("Login")]
    [RateLimit(AuthRateLimits.PerClientAddress)]
    [OpenApiOperation("Log in with email and password", Description = "Repeated failures lock the client out for a while (429 with Retry-After).")]
    [OpenApiRequestBody(typeof(LoginRequest))]
    [OpenApiResponse(200, "An access token and a refresh token.", Body = typeof(TokenPair), Headers = [OpenApiHeaders.CacheControl])]
    [OpenApiProblem(401, "The email or password is wrong.", Headers = [OpenApiHeaders.WwwAuthenticate])]
    public async Task<IActionResult> Login(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/login")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<LoginRequest>(request);
        var tokens = await sessions.LoginAsync(body, ClientAddress.Of(request), request.HttpContext.RequestAborted);
        return Responses.Ok(tokens).WithHeader("Cache-Control", "no-store");
    }

    [Function("Refresh")]
    [OpenApiOperation("Exchange a refresh token for a new pair", Description = "Refresh tokens rotate: each is accepted once; reusing one revokes its whole family.")]
    [OpenApiRequestBody(typeof(RefreshRequest))]
    [OpenApiResponse(200, "A new access token and refresh token.", Body = typeof(TokenPair), Headers = [OpenApiHeaders.CacheControl])]
    [OpenApiProblem(401, "The refresh token is invalid, expired or revoked.", Headers = [OpenApiHeaders.WwwAuthenticate])]
    public async Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/refresh")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<RefreshRequest>(request);
        var tokens = await sessions.RefreshAsync(body, request.HttpContext.RequestAborted);
        return Responses.Ok(tokens).WithHeader("Cache-Control", "no-store");
    }

    [Function("Logout")]
    [OpenApiOperation("Revoke a refresh token", Description = "Idempotent: an unknown or already revoked token is also 204.")]
    [OpenApiRequestBody(typeof(RefreshRequest))]
    [OpenApiResponse(204, "The refresh token is revoked.")]
    public async Task<IActionResult> Logout(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/logout")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<RefreshRequest>(request);
        await sessions.LogoutAsync(body, request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }
}
