using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Shop.Shared.Observability;

namespace Shop.Shared.Http;

/// <summary>
/// Makes the invocation's W3C trace the ambient one: when no Activity is current (the Functions worker starts one when
/// OpenTelemetry is on), a span named after the function is started as a child of the traceparent the Functions host
/// passed (HTTP request, Durable activity or orchestration). From then on the trace id
/// is the correlation id in every log line (logging scope), in <c>x-correlation-id</c>, in outgoing HttpClient calls
/// (traceparent header) and in outbox events (their traceparent header on RabbitMQ). For HTTP invocations the client
/// address is decided here, once (<see cref="ClientAddress"/>), and logged with every line of the invocation.
/// </summary>
public sealed class CorrelationMiddleware(ClientAddressResolver clientAddresses, ILogger<CorrelationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public const string HeaderName = "x-correlation-id";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        using var invocation = StartInvocationActivity(context);
        var correlationId = Activity.Current?.TraceId.ToString() ?? context.InvocationId;
        var scope = new Dictionary<string, object>
        {
            ["CorrelationId"] = correlationId,
            ["Function"] = context.FunctionDefinition.Name,
            ["InvocationId"] = context.InvocationId,
        };
        var httpContext = context.GetHttpContext();
        if (httpContext is not null)
        {
            httpContext.Response.Headers[HeaderName] = correlationId;
            scope["ClientAddress"] = ClientAddress.Remember(httpContext, clientAddresses);
        }

        using (logger.BeginScope(scope))
        {
            await next(context);
        }
    }

    private static Activity? StartInvocationActivity(FunctionContext context) =>
        Activity.Current is null
            ? ShopTracing.Start(ShopTracing.Invocations, context.FunctionDefinition.Name, ActivityKind.Server,
                ShopTracing.Parent(context.TraceContext?.TraceParent, context.TraceContext?.TraceState))
            : null;
}
