using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Security;

namespace Shop.Shared.OpenApi;

/// <summary>The credentials Shop knows: the Functions host's function key (header or query), bearer JWTs, the internal key.</summary>
internal static class OpenApiSecurity
{
    private const string FunctionKeyHeader = "functionKeyHeader";
    private const string FunctionKeyQuery = "functionKeyQuery";
    private const string Bearer = "bearer";
    private const string InternalKey = "internalKey";

    public static JsonObject Schemes() => new()
    {
        [Bearer] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "JWT",
            ["description"] = "An RS256 access token from POST /api/auth/login (or /api/auth/refresh).",
        },
        [FunctionKeyHeader] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "x-functions-key",
            ["description"] = "The app's function key, checked by the Functions host (401 with an empty body without it).",
        },
        [FunctionKeyQuery] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "query",
            ["name"] = "code",
            ["description"] = "The app's function key as a query parameter, the same key as x-functions-key.",
        },
        [InternalKey] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = InternalApiOptions.HeaderName,
            ["description"] = "The internal service key OrderFunctions sends to ProductFunctions' internal reservation API; public clients never hold it.",
        },
    };

    /// <summary>Alternatives (either way of sending the function key), each with every credential the operation needs.</summary>
    public static JsonArray Requirements(AuthorizationLevel level, OpenApiCaller caller)
    {
        string?[] keys = level == AuthorizationLevel.Anonymous ? [null] : [FunctionKeyHeader, FunctionKeyQuery];
        var alternatives = new JsonArray();
        foreach (var key in keys)
        {
            var requirement = new JsonObject();
            foreach (var scheme in new[] { key, caller is OpenApiCaller.User or OpenApiCaller.Admin ? Bearer : null, caller == OpenApiCaller.InternalService ? InternalKey : null })
            {
                if (scheme is not null)
                {
                    requirement[scheme] = new JsonArray();
                }
            }

            if (requirement.Count > 0)
            {
                alternatives.Add(requirement);
            }
        }

        return alternatives;
    }
}
