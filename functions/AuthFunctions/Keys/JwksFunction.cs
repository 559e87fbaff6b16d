using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.Auth.Keys;

public sealed class JwksFunction(SigningKeyRing keys)
{
    /// <summary>Anonymous by design: public keys are public, and the other apps fetch them without a key.</summary>
    [Function("Jwks")]
    [RateLimit(RateLimitingOptions.NoPolicy)]
    [OpenApiOperation("The public keys that verify access tokens (JWKS)")]
    [OpenApiResponse(200, "The JSON Web Key Set.", Body = typeof(JsonWebKeySetDto), Headers = [OpenApiHeaders.CacheControl])]
    public IActionResult Jwks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/jwks")] HttpRequest request) =>
        Responses.Ok(new JsonWebKeySetDto(keys.PublicJwks()))
            .WithHeader("Cache-Control", "public, max-age=300");
}
