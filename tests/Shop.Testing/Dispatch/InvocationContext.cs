using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Testing.Dispatch;

/// <summary>
/// The FunctionContext the worker hands its middleware, for one HTTP invocation: the invocation id, the function's name,
/// the request's services, the HttpContext under the key the ASP.NET Core integration uses, and the caller's W3C trace
/// context (the Functions host passes the request's traceparent with each invocation). Written by hand: a Moq proxy per
/// request costs milliseconds and megabytes the worker does not spend.
/// </summary>
public sealed class InvocationContext(HttpContext httpContext, IServiceProvider services, string functionName, string invocationId) : FunctionContext
{
    /// <summary>Where Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore keeps the HttpContext (GetHttpContext()).</summary>
    public const string HttpContextItem = "HttpRequestContext";

    public override string InvocationId => invocationId;

    public override string FunctionId => functionName;

    public override TraceContext TraceContext { get; } = new RequestTraceContext(httpContext.Request.Headers["traceparent"].ToString());

    public override BindingContext BindingContext => null!;

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition { get; } = new NamedFunctionDefinition(functionName);

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { [HttpContextItem] = httpContext };

    // No invocation features: middleware that reads the invocation result from them falls back to the HTTP response.
    public override IInvocationFeatures Features => null!;

    public override CancellationToken CancellationToken => httpContext.RequestAborted;

    private sealed class RequestTraceContext(string traceParent) : TraceContext
    {
        public override string TraceParent => traceParent;

        public override string TraceState => "";
    }

    private sealed class NamedFunctionDefinition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(NamedFunctionDefinition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
