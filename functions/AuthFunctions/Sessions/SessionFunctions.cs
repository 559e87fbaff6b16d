using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;

namespace Shop.Auth.Sessions;

public sealed class SessionFunctions(SessionService sessions)
{
    [Function("Login")]
    public async Task<IActionResult> Login(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/login")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<LoginRequest>(request);
        var tokens = await sessions.LoginAsync(body, ClientAddress.Of(request), request.HttpContext.RequestAborted);
        return Responses.Ok(tokens).WithHeader("Cache-Control", "no-store");
    }

    [Function("Refresh")]
    public async Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/refresh")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<RefreshRequest>(request);
        var tokens = await sessions.RefreshAsync(body, request.HttpContext.RequestAborted);
        return Responses.Ok(tokens).WithHeader("Cache-Control", "no-store");
    }

    [Function("Logout")]
    public async Task<IActionResult> Logout(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/logout")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<RefreshRequest>(request);
        await sessions.LogoutAsync(body, request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }
}
