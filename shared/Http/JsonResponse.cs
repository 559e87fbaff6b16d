using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Shop.Shared.Json;

namespace Shop.Shared.Http;

/// <summary>
/// A JSON response written straight to the HttpContext with the shared serializer options, so functions need no MVC
/// formatters and tests can execute results against a plain DefaultHttpContext.
/// </summary>
public sealed class JsonResponse(int statusCode, object? body, string contentType = "application/json") : IStatusCodeActionResult
{
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeActionResult.StatusCode => StatusCode;

    public object? Body { get; } = body;

    public IReadOnlyDictionary<string, string> Headers => _headers;

    public JsonResponse WithHeader(string name, string value)
    {
        _headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        if (Body is null)
        {
            return;
        }

        response.ContentType = contentType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), ShopJson.Options, context.HttpContext.RequestAborted);
    }
}
