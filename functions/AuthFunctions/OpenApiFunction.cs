using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.OpenApi;

namespace Shop.Auth;

/// <summary>
/// Anonymous by design: the contract is not a secret, and client teams and tools read it without a key. Only the
/// declaration is the app's (the route is its own); the document and its description come from shared/OpenApi.
/// </summary>
public sealed class OpenApiFunction(ServedOpenApiDocument document)
{
    public static readonly OpenApiApp App = new(
        "Shop AuthFunctions",
        "Accounts, sessions (login, refresh, logout) and the JWKS. Every operation except the JWKS, health and this document needs the app's function key; errors are application/problem+json (RFC 9457).",
        typeof(OpenApiFunction).Assembly);

    [Function(OpenApiDeclarations.DocumentFunction)]
    public IActionResult Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/openapi.json")] HttpRequest request) =>
        document.Serve(request);
}
