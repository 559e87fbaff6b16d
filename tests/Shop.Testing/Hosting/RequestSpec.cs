using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Json;
using Shop.Testing.Dispatch;

namespace Shop.Testing.Hosting;

/// <summary>
/// An HTTP request as a test states it (as the client sends it, from <see cref="ClientAddress"/>, through our proxy unless
/// <see cref="ThroughProxy"/> is false); turned into a fresh HttpContext as the worker would receive it for each send.
/// </summary>
public sealed record RequestSpec(
    string Method,
    string Path,
    byte[] Body,
    string? Bearer,
    IReadOnlyDictionary<string, string> Headers,
    string ClientAddress = "203.0.113.10",
    bool ThroughProxy = true)
{
    /// <param name="body">JSON-serialised, or sent as is when a string or bytes.</param>
    public static RequestSpec Of(string method, string path, object? body = null, string? bearer = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var bytes = body switch
        {
            null => [],
            string raw => Encoding.UTF8.GetBytes(raw),
            byte[] raw => raw,
            _ => JsonSerializer.SerializeToUtf8Bytes(body, ShopJson.Options),
        };
        return new RequestSpec(method, path, bytes, bearer, headers ?? new Dictionary<string, string>());
    }

    public HttpContext ToHttpContext(IServiceProvider services, string invocationId)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        var uri = new Uri("http://localhost/api/" + Path.TrimStart('/'));
        context.Request.Method = Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        context.Request.Body = new MemoryStream(Body);
        context.Request.ContentLength = Body.Length;
        if (Body.Length > 0)
        {
            context.Request.ContentType = "application/json";
        }

        if (Bearer is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + Bearer;
        }

        foreach (var (name, value) in Headers)
        {
            context.Request.Headers[name] = value;
        }

        FunctionsHostRequest.Apply(context, ClientAddress, ThroughProxy, invocationId);
        context.Response.Body = new MemoryStream();
        return context;
    }
}
