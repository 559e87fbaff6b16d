using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;

namespace Shop.Shared.Health;

/// <summary>
/// GET /api/health: anonymous readiness (200, or 503 naming each dependency that is down) for load balancers and
/// readiness probes. GET /api/health/live: liveness, no dependency checked, so an outage of MongoDB or Redis takes
/// instances out of rotation without restarting them all.
/// </summary>
public sealed class HealthFunction(HealthProbe probe)
{
    [Function("Liveness")]
    public static IActionResult Liveness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/live")] HttpRequest request) =>
        new JsonResponse(200, new { status = "alive" }).WithHeader("Cache-Control", "no-store");

    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var report = await probe.CheckAsync(request.HttpContext.RequestAborted);
        return new JsonResponse(report.IsHealthy ? 200 : 503, report)
            .WithHeader("Cache-Control", "no-store");
    }
}
