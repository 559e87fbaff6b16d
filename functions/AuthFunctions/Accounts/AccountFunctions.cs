using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Auth.Accounts;

public sealed class AccountFunctions(AccountService accounts)
{
    [Function("SignUp")]
    public async Task<IActionResult> SignUp(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/signup")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<SignUpRequest>(request);
        var profile = await accounts.SignUpAsync(body, request.HttpContext.RequestAborted);
        return Responses.Created($"/api/auth/users/{profile.Id}", profile);
    }

    [Function("Me")]
    public async Task<IActionResult> Me(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "auth/me")] HttpRequest request)
    {
        var caller = await request.RequireCallerAsync();
        return Responses.Ok(await accounts.GetProfileAsync(caller, request.HttpContext.RequestAborted));
    }

    [Function("SetRoles")]
    public async Task<IActionResult> SetRoles(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "auth/users/{userId}/roles")] HttpRequest request,
        string userId)
    {
        var admin = await request.RequireAdminAsync();
        var body = await JsonBody.ReadAsync<SetRolesRequest>(request);
        return Responses.Ok(await accounts.SetRolesAsync(admin, Ids.Require(userId), body, request.HttpContext.RequestAborted));
    }
}
