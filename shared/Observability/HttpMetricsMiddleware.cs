using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Shop.Shared.Observability;

/// <summary>
/// Counts and times every HTTP invocation (shop_http_requests_total, shop_http_request_duration_seconds). Outermost,
/// so 429s, timeouts and problems are measured like any answer.
/// </summary>
public sealed class HttpMetricsMiddleware(ShopMetrics metrics) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var httpContext = context.GetHttpContext();
        if (httpContext is null)
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = StatusOf(InvocationResultOf(context), httpContext.Response);
        }
        finally
        {
            metrics.HttpRequestCompleted(
                context.FunctionDefinition.Name, httpContext.Request.Method.ToUpperInvariant(), status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// The status the caller gets. Under the Functions host a returned result is written after the worker middleware
    /// has run, so its status is read from the result; a problem written by ProblemMiddleware is already on the response.
    /// </summary>
    internal static int StatusOf(object? invocationResult, HttpResponse response) => invocationResult switch
    {
        IStatusCodeActionResult { StatusCode: int status } => status,
        IActionResult => StatusCodes.Status200OK,
        _ => response.StatusCode,
    };

    private static object? InvocationResultOf(FunctionContext context)
    {
        // The in-process test host has no binding features; it has already written the result to the response.
        if (context.Features is null)
        {
            return null;
        }

        try
        {
            return context.GetInvocationResult().Value;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
