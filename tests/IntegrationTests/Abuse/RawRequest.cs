using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Shop.Testing.Dispatch;
using Shop.Testing.Gateway;
using Microsoft.AspNetCore.Routing;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// A request as an attacker may send it: any bytes as body, any Content-Type (or none), headers repeated or holding
/// CR/LF or NUL, route values the host would have decoded. It crosses a real socket to the loopback gateway as raw
/// bytes (<see cref="ToWire"/>), and runs in process through the app's dispatcher and the one pipeline for what a
/// function does if a host handed it over (<see cref="SendAsync"/>): the lines Kestrel answers first, and those that
/// HTTP/1.1 cannot carry at all.
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

    /// <summary>
    /// The request as an HTTP/1.1 client writes it to the gateway: the request target with bytes outside visible ASCII
    /// percent-encoded (as any client library does), each header value on its own line (repeated headers stay
    /// repeated), non-ASCII values as UTF-8 bytes, the app's function key unless the line brings its own, and
    /// <c>Connection: close</c> so the answer ends with the connection.
    /// </summary>
    public byte[] ToWire(Uri server, string functionKey)
    {
        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(RequestTarget()).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(server.Authority).Append("\r\n");
        if (!Headers.Any(h => string.Equals(h.Key, FunctionKeys.HeaderName, StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(FunctionKeys.HeaderName).Append(": ").Append(functionKey).Append("\r\n");
        }

        foreach (var (name, values) in Headers)
        {
            foreach (var value in values)
            {
                if (value.Any(IsLineBreak))
                {
                    throw new InvalidOperationException($"{name}: a value holding CR/LF cannot cross HTTP/1.1; mark the line inProcessOnly");
                }

                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        if (ContentType is not null)
        {
            head.Append("Content-Type: ").Append(ContentType).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(Body.Length).Append("\r\nConnection: close\r\n\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. Body];
    }

    private string RequestTarget()
    {
        var target = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(PathAndQuery))
        {
            target.Append(b is > 0x20 and < 0x7F ? ((char)b).ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return target.ToString();
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
