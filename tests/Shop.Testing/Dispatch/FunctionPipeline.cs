using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Hosting;

namespace Shop.Testing.Dispatch;

/// <summary>
/// The one pipeline every in-process invocation runs through (tests, abuse corpus, authorization matrix, benchmarks,
/// the loopback gateway): <see cref="ShopDefaults.Middleware"/> in order around the function, whose IActionResult is
/// executed into the response, as the isolated worker with the ASP.NET Core integration does.
/// </summary>
public static class FunctionPipeline
{
    /// <param name="httpContext">The request as the worker receives it; its RequestServices are the invocation's scope.</param>
    /// <param name="functionName">The [Function] name, which middleware uses for limits, metrics and deadlines.</param>
    /// <param name="function">Calls the function with the request and returns its result.</param>
    public static async Task RunAsync(HttpContext httpContext, string functionName, string invocationId, Func<Task<IActionResult>> function)
    {
        var services = httpContext.RequestServices;
        var context = new InvocationContext(httpContext, services, functionName, invocationId);

        FunctionExecutionDelegate pipeline = async _ =>
        {
            var result = await function();
            await result.ExecuteResultAsync(new ActionContext { HttpContext = httpContext });
        };

        var middleware = ShopDefaults.Middleware;
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            var step = (IFunctionsWorkerMiddleware)services.GetRequiredService(middleware[i]);
            var next = pipeline;
            pipeline = c => step.Invoke(c, next);
        }

        await pipeline(context);
    }
}
