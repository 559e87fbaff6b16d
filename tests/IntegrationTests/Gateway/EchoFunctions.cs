using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Gateway;

/// <summary>A test-only app behind the gateway: shows what the function received (headers, peer, route values).</summary>
public sealed class EchoFunctions
{
    [Function("EchoRequest")]
    public static IActionResult Request(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "echo/request")] HttpRequest request) =>
        new JsonResponse(200, new
        {
            headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            remoteIpAddress = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            path = request.Path.Value,
        });

    [Function("EchoNumber")]
    public static IActionResult Number(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "echo/numbers/{n:int}")] HttpRequest request, string n) =>
        new JsonResponse(200, new { n });

    [Function("EchoAdmin")]
    public static IActionResult Admin(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "echo/admin")] HttpRequest request) =>
        new JsonResponse(200, new { admin = true });
}
