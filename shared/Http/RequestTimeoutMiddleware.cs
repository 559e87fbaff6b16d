using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Shared.Http;

/// <summary>Section <c>RequestTimeout</c>: how long an HTTP function may run; zero or less means no limit.</summary>
public sealed class RequestTimeoutOptions
{
    public const string Section = "RequestTimeout";

    public TimeSpan Default { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Overrides by function name, e.g. <c>RequestTimeout:Functions:PlaceOrder = 00:01:00</c>.</summary>
    public Dictionary<string, TimeSpan> Functions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan For(string functionName) => Functions.TryGetValue(functionName, out var timeout) ? timeout : Default;
}

/// <summary>
/// Gives every HTTP invocation a deadline: <c>HttpContext.RequestAborted</c> becomes a token that also fires when the
/// time is up (functions pass it to every service), and a function cancelled that way answers 504 problem+json.
/// The caller going away is still the caller's cancellation, not a timeout.
/// </summary>
public sealed class RequestTimeoutMiddleware(IOptions<RequestTimeoutOptions> options, TimeProvider time, ILogger<RequestTimeoutMiddleware> logger)
    : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var httpContext = context.GetHttpContext();
        var timeout = options.Value.For(context.FunctionDefinition.Name);
        if (httpContext is null || timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            await next(context);
            return;
        }

        var callerAborted = httpContext.RequestAborted;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerAborted, deadline.Token);
        httpContext.RequestAborted = linked.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !callerAborted.IsCancellationRequested)
        {
            logger.LogWarning("{Function} exceeded its {Timeout} deadline", context.FunctionDefinition.Name, timeout);
            throw Problems.Timeout(timeout);
        }
        finally
        {
            httpContext.RequestAborted = callerAborted;
        }
    }
}
