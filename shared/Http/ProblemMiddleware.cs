using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Shop.Shared.RateLimiting;

namespace Shop.Shared.Http;

/// <summary>
/// Turns every failure of an HTTP function into application/problem+json with a trace id. Client problems are logged
/// as information, anything else as an error with the exception, and never with a stack trace in the response.
/// </summary>
public sealed class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <summary>Headers about the exchange rather than its result, kept when a problem replaces the response.</summary>
    public static readonly IReadOnlyList<string> PreservedHeaders =
        [CorrelationMiddleware.HeaderName, RateLimitHeaders.Policy, RateLimitHeaders.Limit];

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            var httpContext = context.GetHttpContext();
            if (httpContext is null)
            {
                throw;
            }

            var problem = ToProblem(exception, context.FunctionDefinition.Name);
            var traceId = Activity.Current?.TraceId.ToString() ?? context.InvocationId;
            problem = problem with { TraceId = traceId, Instance = httpContext.Request.Path };

            if (!httpContext.Response.HasStarted)
            {
                var preserved = PreservedHeaders
                    .Where(name => httpContext.Response.Headers.ContainsKey(name))
                    .Select(name => (Name: name, Value: httpContext.Response.Headers[name]))
                    .ToList();
                httpContext.Response.Clear();
                foreach (var (name, value) in preserved)
                {
                    httpContext.Response.Headers[name] = value;
                }

                await Responses.Problem(problem).ExecuteResultAsync(new ActionContext { HttpContext = httpContext });
            }
        }
    }

    private Problem ToProblem(Exception exception, string functionName)
    {
        switch (exception)
        {
            case ProblemException problemException:
                logger.LogInformation("{Function} answered {Status} {ProblemType}: {Detail}",
                    functionName, problemException.Problem.Status, problemException.Problem.Type, problemException.Problem.Detail);
                return problemException.Problem;
            case Exception when TransientFailures.IsTransient(exception):
                logger.LogWarning("{Function} hit a dependency that is down or overloaded: {ExceptionType}", functionName, exception.GetType().Name);
                return Problems.ServiceUnavailable("A dependency is temporarily unavailable; retry shortly.", TimeSpan.FromSeconds(2)).Problem;
            case OperationCanceledException:
                logger.LogInformation("{Function} was cancelled by the caller", functionName);
                return new Problem(Problems.Type("cancelled"), "The request was cancelled.", 499);
            default:
                logger.LogError(exception, "{Function} failed with an unexpected {ExceptionType}", functionName, exception.GetType().Name);
                return Problems.Unexpected();
        }
    }
}
