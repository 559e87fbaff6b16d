using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.Testing.Dispatch;

namespace Shop.Benchmarks;

/// <summary>
/// One invocation as <see cref="FunctionTestHost"/> makes it, returning only what the benchmarks read: the same scope
/// per request, the same HttpContext from <see cref="RequestSpec"/>, and the one pipeline (<see cref="FunctionPipeline"/>,
/// with its hand-written FunctionContext).
/// </summary>
internal static class LeanInvoker
{
    public static async Task<(int Status, string? ETag)> SendAsync<TFunction>(
        IServiceProvider services, RequestSpec spec, string functionName, Func<TFunction, HttpRequest, Task<IActionResult>> invoke)
        where TFunction : class
    {
        await using var scope = services.CreateAsyncScope();
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = spec.ToHttpContext(scope.ServiceProvider, invocationId);
        await FunctionPipeline.RunAsync(httpContext, functionName, invocationId,
            () => invoke(ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider), httpContext.Request));
        return (httpContext.Response.StatusCode, httpContext.Response.Headers.ETag.ToString());
    }

    public static RequestSpec Request(string method, string path, object? body = null, string? bearer = null, Dictionary<string, string>? headers = null) =>
        new(method, path, body is null ? [] : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, Shop.Shared.Json.ShopJson.Options), bearer, headers ?? []);
}
