using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;
using Shop.Shared.Security;

namespace Shop.Auth.Accounts;

public sealed class AccountFunctions(AccountService accounts)
{
    [Function("SignUp")]
    [RateLimit(AuthRateLimits.PerClientAddress)]
    [OpenApiOperation("Create a customer account", Description = "The password must meet the password policy and must not contain the email's local part.")]
    [OpenApiRequestBody(typeof(SignUpRequest))]
    [OpenApiResponse(201, "The account was created.", Body = typeof(UserProfile), Headers = [OpenApiHeaders.Location])]
    [OpenApiProblem(409, "An account with this email already exists.")]
    public async Task<IActionResult> SignUp(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "auth/signup")] HttpRequest request)
    {
        var body = await JsonBody.ReadAsync<SignUpRequest>(request);
        var profile = await accounts.SignUpAsync(body, request.HttpContext.RequestAborted);
        return Responses.Created($"/api/auth/users/{profile.Id}", profile);
    }

    [Function("Me")]
    [OpenApiOperation("The caller's own profile", Caller = OpenApiCaller.User)]
    [OpenApiResponse(200, "The profile.", Body = typeof(UserProfile))]
    [OpenApiProblem(404, "The account no longer exists.")]
    public async Task<IActionResult> Me(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "auth/me")] HttpRequest request)
    {
        var caller = await request.RequireCallerAsync();
        return Responses.Ok(await accounts.GetProfileAsync(caller, request.HttpContext.RequestAborted));
    }

    [Function("SetRoles")]
    [OpenApiOperation("Replace a user's roles", Caller = OpenApiCaller.Admin, Description = "Admins cannot remove their own admin role.")]
    [OpenApiRequestBody(typeof(SetRolesRequest))]
    [OpenApiResponse(200, "The user's profile with the new roles.", Body = typeof(UserProfile))]
    [OpenApiProblem(404, "No such user.")]
    [OpenApiProblem(409, "An admin tried to remove their own admin role.")]
    public async Task<IActionResult> SetRoles(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "auth/users/{userId}/roles")] HttpRequest request,
        string userId)
    {
        var admin = await request.RequireAdminAsync();
        var body = await JsonBody.ReadAsync<SetRolesRequest>(request);
        return Responses.Ok(await accounts.SetRolesAsync(admin, Ids.Require(userId), body, request.HttpContext.RequestAborted));
    }
}
