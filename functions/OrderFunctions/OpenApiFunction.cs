using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.Orders;

/// <summary>Anonymous by design: the contract is not a secret, and client teams and tools read it without a key.</summary>
public sealed class OpenApiFunction(ServedOpenApiDocument document)
{
    public static readonly OpenApiApp App = new(
        "Shop OrderFunctions",
        "Orders as Durable workflows: idempotent placement (Idempotency-Key), status polling, cancel, ship, deliver. Errors are application/problem+json (RFC 9457).",
        typeof(OpenApiFunction).Assembly);

    [Function("ApiDescription")]
    [RateLimit(RateLimitingOptions.NoPolicy)]
    [OpenApiOperation("This OpenAPI 3.1 document", Description = "Built from the app's code at start; cacheable (ETag, If-None-Match).")]
    [OpenApiParameter("If-None-Match", OpenApiParameterLocation.Header, "The ETag of a copy you hold: 304 when it is still current.")]
    [OpenApiResponse(200, "The document.", Body = typeof(System.Text.Json.Nodes.JsonObject), Headers = [OpenApiHeaders.ETag, OpenApiHeaders.CacheControl])]
    [OpenApiResponse(304, "The copy you hold is current.", Headers = [OpenApiHeaders.ETag, OpenApiHeaders.CacheControl])]
    public IActionResult Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/openapi.json")] HttpRequest request) =>
        document.Serve(request);
}
