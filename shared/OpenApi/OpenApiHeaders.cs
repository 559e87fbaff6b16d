using System.Text.Json.Nodes;
using Shop.Shared.Http;
using Shop.Shared.RateLimiting;

namespace Shop.Shared.OpenApi;

/// <summary>The response headers an operation may declare, each described once for every document.</summary>
public static class OpenApiHeaders
{
    public const string ETag = "ETag";
    public const string Location = "Location";
    public const string CacheControl = "Cache-Control";
    public const string RetryAfter = "Retry-After";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string IdempotentReplayed = "Idempotent-Replayed";

    internal static readonly IReadOnlyDictionary<string, (string Component, string Description, string Type)> Known =
        new Dictionary<string, (string, string, string)>(StringComparer.Ordinal)
        {
            [ETag] = ("ETag", "The version of the document as a strong entity tag, e.g. \"3\"; send it back in If-Match to change it.", "string"),
            [Location] = ("Location", "Where the created or accepted resource (or its status) can be read.", "string"),
            [CacheControl] = ("CacheControl", "How long the answer may be cached (no-store for tokens).", "string"),
            [RetryAfter] = ("RetryAfter", "Seconds to wait before retrying.", "integer"),
            [WwwAuthenticate] = ("WwwAuthenticate", "Bearer: the challenge for a missing or invalid access token.", "string"),
            [IdempotentReplayed] = ("IdempotentReplayed", "true when this is the stored answer to an earlier request with the same Idempotency-Key.", "string"),
            [CorrelationMiddleware.HeaderName] = ("CorrelationId", "The W3C trace id of this request; quote it when reporting a problem.", "string"),
            [RateLimitHeaders.Policy] = ("RateLimitPolicy", "The quota and window of each policy that applied (draft-ietf-httpapi-ratelimit-headers-08), e.g. \"user\";q=600;w=60.", "string"),
            [RateLimitHeaders.Limit] = ("RateLimit", "What remains of each policy and the seconds until it is whole again, e.g. \"user\";r=598;t=1.", "string"),
        };

    internal static JsonObject Components()
    {
        var headers = new JsonObject();
        foreach (var (_, (component, description, type)) in Known.OrderBy(h => h.Value.Component, StringComparer.Ordinal))
        {
            headers[component] = new JsonObject
            {
                ["description"] = description,
                ["schema"] = new JsonObject { ["type"] = type },
            };
        }

        return headers;
    }

    internal static JsonObject Reference(string name) =>
        Known.TryGetValue(name, out var header)
            ? new JsonObject { ["$ref"] = "#/components/headers/" + header.Component }
            : throw new InvalidOperationException($"Unknown response header '{name}': describe it in OpenApiHeaders.");
}
