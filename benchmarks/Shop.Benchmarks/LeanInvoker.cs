using Shop.Testing.Hosting;

namespace Shop.Benchmarks;

/// <summary>
/// One invocation as <see cref="FunctionTestHost"/> makes it, returning only what the benchmarks read: the host's
/// dispatcher (the route chooses the function; its scope, the one pipeline with its hand-written FunctionContext),
/// without reading the response body back.
/// </summary>
internal static class LeanInvoker
{
    public static async Task<(int Status, string? ETag)> SendAsync(FunctionTestHost host, RequestSpec spec)
    {
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = spec.ToHttpContext(host.Services, invocationId);
        await host.Dispatcher.DispatchAsync(httpContext, invocationId);
        return (httpContext.Response.StatusCode, httpContext.Response.Headers.ETag.ToString());
    }

    /// <summary>The same invocation around a stand-in body instead of the function (what the harness costs).</summary>
    public static async Task<int> SendInPlaceOfAsync(FunctionTestHost host, RequestSpec spec, string functionName, Func<Task> body)
    {
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = spec.ToHttpContext(host.Services, invocationId);
        await host.Dispatcher.InvokeInPlaceOfAsync(functionName, httpContext, invocationId, async () =>
        {
            await body();
            return new Microsoft.AspNetCore.Mvc.OkResult();
        });
        return httpContext.Response.StatusCode;
    }

    public static RequestSpec Request(string method, string path, object? body = null, string? bearer = null, Dictionary<string, string>? headers = null) =>
        RequestSpec.Of(method, path, body, bearer, headers);
}
