using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Shop.IntegrationTests.Infrastructure;
using Shop.Testing.Dispatch;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// A request as an attacker may send it: any bytes as body, any Content-Type (or none), headers repeated or holding
/// CR/LF, route values the host would have decoded. <see cref="RequestSpec"/> cannot say all of that, so this builds its own
/// HttpContext and sends it through the one pipeline (<see cref="FunctionPipeline"/>) like <see cref="FunctionTestHost"/>.
/// </summary>
public sealed record RawRequest(
    string Method,
    string Path,
    string Query,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string[]>> Headers)
{
    public async Task<TestResponse> SendAsync(
        FunctionTestHost host,
        Type functionClass,
        Func<object, HttpRequest, Task<IActionResult>> invoke)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = ToHttpContext(scope.ServiceProvider, invocationId);
        await FunctionPipeline.RunAsync(httpContext, FunctionRoutes.NameOf(functionClass, httpContext), invocationId,
            () => invoke(ActivatorUtilities.CreateInstance(scope.ServiceProvider, functionClass), httpContext.Request));
        return await TestResponse.ReadAsync(httpContext.Response);
    }

    private DefaultHttpContext ToHttpContext(IServiceProvider services, string invocationId)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = Method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = new PathString("/api/" + Path.TrimStart('/'));
        context.Request.QueryString = new QueryString(Query.Length == 0 || Query.StartsWith('?') ? Query : "?" + Query);
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
}
