using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Shop.Testing.Dispatch;
using Microsoft.AspNetCore.Routing;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// A request as an attacker may send it: any bytes as body, any Content-Type (or none), headers repeated or holding
/// CR/LF or NUL, route values the host would have decoded. In process, through the app's dispatcher and the one
/// pipeline: many of these cannot cross HTTP/1.1 unchanged (Kestrel answers NUL, CR/LF or oversized headers itself; an
/// empty route value routes to another function), so the corpus tests what a function does if a host hands them over.
/// </summary>
public sealed record RawRequest(
    string Method,
    string Path,
    string Query,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers)
{
    public string PathAndQuery => "/" + HttpFunction.RoutePrefix + "/" + Path.TrimStart('/') + (Query.Length == 0 || Query.StartsWith('?') ? Query : "?" + Query);

    /// <summary>
    /// Runs the function the line names with the route values it states (as the host would have decoded them), through
    /// the app's dispatcher: its binding, the one pipeline, a scope of the app's services.
    /// </summary>
    public async Task<TestResponse> SendAsync(FunctionDispatcher dispatcher, string function, IReadOnlyDictionary<string, string> route)
    {
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = ToHttpContext(dispatcher.Services, invocationId);
        var values = new RouteValueDictionary(route.ToDictionary(r => r.Key, r => (object?)r.Value));
        await dispatcher.InvokeAsync(new RouteMatch.Found(dispatcher.Routes.Function(function), values), httpContext, invocationId);
        return await TestResponse.ReadAsync(httpContext.Response);
    }

    private DefaultHttpContext ToHttpContext(IServiceProvider services, string invocationId)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        var pathAndQuery = PathAndQuery.Split('?', 2);
        context.Request.Method = Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = new PathString(pathAndQuery[0]);
        context.Request.QueryString = new QueryString(pathAndQuery.Length == 2 ? "?" + pathAndQuery[1] : "");
        context.Request.Body = new MemoryStream(Body);
        context.Request.ContentLength = Body.Length;
        if (ContentType is not null)
        {
            context.Request.ContentType = ContentType;
        }

        foreach (var (name, values) in Headers)
        {
            context.Request.Headers[name] = new StringValues(values);
        }

        FunctionsHostRequest.Apply(context, "203.0.113.66", throughProxy: true, invocationId);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static bool IsLineBreak(char c) => c is '\r' or '\n';
}
