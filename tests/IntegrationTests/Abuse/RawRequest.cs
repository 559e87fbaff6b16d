using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Moq;
using Shop.IntegrationTests.Infrastructure;
using Shop.Shared.Hosting;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// A request as an attacker may send it: any bytes as body, any Content-Type (or none), headers repeated or holding
/// CR/LF, route values the host would have decoded. <see cref="RequestSpec"/> cannot say all of that, so this sends
/// through the same pipeline as <see cref="FunctionTestHost"/>: the app's DI, the shared middleware in order, a real
/// HttpContext, the function's IActionResult executed into the response.
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
        var functionContext = FunctionContextFor(httpContext, scope.ServiceProvider, FunctionRoutes.NameOf(functionClass, Method, Path), invocationId);

        FunctionExecutionDelegate pipeline = async _ =>
        {
            var function = ActivatorUtilities.CreateInstance(scope.ServiceProvider, functionClass);
            var result = await invoke(function, httpContext.Request);
            await result.ExecuteResultAsync(new ActionContext { HttpContext = httpContext });
        };

        foreach (var middlewareType in ShopDefaults.Middleware.Reverse())
        {
            var middleware = (IFunctionsWorkerMiddleware)scope.ServiceProvider.GetRequiredService(middlewareType);
            var next = pipeline;
            pipeline = context => middleware.Invoke(context, next);
        }

        await pipeline(functionContext);
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

    private static FunctionContext FunctionContextFor(HttpContext httpContext, IServiceProvider services, string functionName, string invocationId)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(functionName);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InvocationId).Returns(invocationId);
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.InstanceServices).Returns(services);
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = httpContext });
        context.SetupGet(c => c.CancellationToken).Returns(httpContext.RequestAborted);
        context.SetupGet(c => c.TraceContext).Returns(Mock.Of<TraceContext>(t => t.TraceParent == "" && t.TraceState == ""));
        return context.Object;
    }
}
