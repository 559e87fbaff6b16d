using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.Shared.Hosting;

namespace Shop.Benchmarks;

/// <summary>
/// <see cref="FunctionTestHost.SendAsync{TFunction}(RequestSpec, Func{TFunction, HttpRequest, Task{IActionResult}})"/>
/// without its Moq-built FunctionContext: the same scope per request, the same HttpContext from <see cref="RequestSpec"/>,
/// the same shared middleware in the same order, the function created from the scope and its IActionResult executed
/// into the response. Moq builds a proxy and compiles expressions for every request (milliseconds and megabytes each),
/// a cost the Functions worker does not have, so the per-request figures use this; the table shows both.
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
        var context = new BenchFunctionContext(httpContext, scope.ServiceProvider, functionName, invocationId);

        FunctionExecutionDelegate pipeline = async _ =>
        {
            var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);
            var result = await invoke(function, httpContext.Request);
            await result.ExecuteResultAsync(new ActionContext { HttpContext = httpContext });
        };

        var middleware = ShopDefaults.Middleware;
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            var step = (IFunctionsWorkerMiddleware)scope.ServiceProvider.GetRequiredService(middleware[i]);
            var next = pipeline;
            pipeline = c => step.Invoke(c, next);
        }

        await pipeline(context);
        return (httpContext.Response.StatusCode, httpContext.Response.Headers.ETag.ToString());
    }

    public static RequestSpec Request(string method, string path, object? body = null, string? bearer = null, Dictionary<string, string>? headers = null) =>
        new(method, path, body is null ? [] : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, Shop.Shared.Json.ShopJson.Options), bearer, headers ?? []);

    private sealed class BenchFunctionContext(HttpContext httpContext, IServiceProvider services, string functionName, string invocationId) : FunctionContext
    {
        public override string InvocationId => invocationId;

        public override string FunctionId => functionName;

        public override TraceContext TraceContext { get; } = new BenchTraceContext(httpContext.Request.Headers["traceparent"].ToString());

        public override BindingContext BindingContext => null!;

        public override RetryContext RetryContext => null!;

        public override IServiceProvider InstanceServices { get => services; set => throw new NotSupportedException(); }

        public override FunctionDefinition FunctionDefinition { get; } = new BenchFunctionDefinition(functionName);

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { ["HttpRequestContext"] = httpContext };

        // As in FunctionTestHost (a Moq default): no invocation features.
        public override IInvocationFeatures Features => null!;

        public override CancellationToken CancellationToken => httpContext.RequestAborted;
    }

    private sealed class BenchTraceContext(string traceParent) : TraceContext
    {
        public override string TraceParent => traceParent;

        public override string TraceState => "";
    }

    private sealed class BenchFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(BenchFunctionDefinition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
