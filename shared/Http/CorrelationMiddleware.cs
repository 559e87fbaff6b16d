using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Shop.Shared.Http;

/// <summary>
/// Gives every invocation a correlation id (the W3C trace id when there is one), echoes it in
/// <c>x-correlation-id</c> and puts it in the logging scope so every log line of the request carries it.
/// </summary>
public sealed class CorrelationMiddleware(ILogger<CorrelationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public const string HeaderName = "x-correlation-id";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var correlationId = Activity.Current?.TraceId.ToString() ?? context.InvocationId;
        var httpContext = context.GetHttpContext();
        if (httpContext is not null)
        {
            httpContext.Response.Headers[HeaderName] = correlationId;
        }

        using (logger.BeginScope(new Dictionary<string, object>
        {
            ["CorrelationId"] = correlationId,
            ["Function"] = context.FunctionDefinition.Name,
        }))
        {
            await next(context);
        }
    }
}
