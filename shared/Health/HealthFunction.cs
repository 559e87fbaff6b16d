using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;

namespace Shop.Shared.Health;

/// <summary>GET /api/health: anonymous readiness for load balancers and probes; 200 or 503 with each dependency.</summary>
public sealed class HealthFunction(HealthProbe probe)
{
    [Function("Health")]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var report = await probe.CheckAsync(request.HttpContext.RequestAborted);
        return new JsonResponse(report.IsHealthy ? 200 : 503, report)
            .WithHeader("Cache-Control", "no-store");
    }
}
