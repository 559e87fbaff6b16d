using System.Net;
using Microsoft.AspNetCore.Http;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>An HTTP request as a test states it; turned into a fresh HttpContext for each send.</summary>
public sealed record RequestSpec(
    string Method,
    string Path,
    byte[] Body,
    string? Bearer,
    IReadOnlyDictionary<string, string> Headers,
    string ClientAddress = "203.0.113.10")
{
    public HttpContext ToHttpContext(IServiceProvider services)
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

        context.Connection.RemoteIpAddress = IPAddress.Parse(ClientAddress);
        context.Response.Body = new MemoryStream();
        return context;
    }
}
