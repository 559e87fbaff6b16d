using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.Shared.Health;

/// <summary>
/// GET /api/health: anonymous readiness (200, or 503 naming each dependency that is down) for load balancers and
/// readiness probes. GET /api/health/live: liveness, no dependency checked, so an outage of MongoDB or Redis takes
/// instances out of rotation without restarting them all.
/// </summary>
public sealed class HealthFunction(HealthProbe probe)
{
    [Function("Liveness")]
    [RateLimit(RateLimitingOptions.NoPolicy)]
    [OpenApiOperation("Liveness: the process answers; no dependency is checked")]
    [OpenApiResponse(200, "Alive: {\"status\":\"alive\"}.", Body = typeof(System.Text.Json.Nodes.JsonObject), Headers = [OpenApiHeaders.CacheControl])]
    public static IActionResult Liveness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/live")] HttpRequest request) =>
        new JsonResponse(200, new { status = "alive" }).WithHeader("Cache-Control", "no-store");

    [Function("Health")]
    [RateLimit(RateLimitingOptions.NoPolicy)]
    [OpenApiOperation("Readiness: every dependency answers")]
    [OpenApiResponse(200, "Every dependency is up.", Body = typeof(ReadinessReport), Headers = [OpenApiHeaders.CacheControl])]
    [OpenApiResponse(503, "At least one dependency is down; the report names it.", Body = typeof(ReadinessReport), Headers = [OpenApiHeaders.CacheControl])]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var report = await probe.CheckAsync(request.HttpContext.RequestAborted);
        return new JsonResponse(report.IsHealthy ? 200 : 503, report)
            .WithHeader("Cache-Control", "no-store");
    }
}
