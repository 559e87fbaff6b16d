using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.Shared.RateLimiting;

namespace Shop.Shared.OpenApi;

/// <summary>
/// The app's OpenAPI document, built once per process on first use and then served as the same bytes with a strong
/// ETag (304 for a matching If-None-Match) and a five-minute public cache lifetime.
/// </summary>
public sealed class ServedOpenApiDocument
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    private readonly Lazy<(byte[] Body, string ETag)> _served;

    public ServedOpenApiDocument(OpenApiApp app, RateLimitPolicies policies)
    {
        _served = new(() =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(Build(app, policies), s_indented);
            return (body, "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"");
        });
    }

    public const string CacheControl = "public, max-age=300";

    public string ETag => _served.Value.ETag;

    public static JsonObject Build(OpenApiApp app, RateLimitPolicies policies) =>
        OpenApiDocumentBuilder.Build(app, function => policies.ForFunction(function).Count > 0);

    public IActionResult Serve(HttpRequest request) =>
        new DocumentResult(_served.Value.Body, _served.Value.ETag, NotModified: request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == _served.Value.ETag || t.Trim() == "*")));

    private sealed record DocumentResult(byte[] Body, string ETag, bool NotModified) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.Headers.ETag = ETag;
            response.Headers.CacheControl = CacheControl;
            if (NotModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            await response.Body.WriteAsync(Body, context.HttpContext.RequestAborted);
        }
    }
}
