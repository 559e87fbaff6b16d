using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// Applies the policies of the invoked function (declared with <see cref="RateLimitAttribute"/> or set by its name in
/// <see cref="RateLimitingOptions.Functions"/>) before it runs:
/// 429 problem+json with Retry-After when one refuses, the RateLimit fields on every limited response.
/// Sits inside ProblemMiddleware, which writes the 429 and keeps the RateLimit fields when a later failure replaces
/// the response.
/// </summary>
public sealed class RateLimitMiddleware(DistributedRateLimiter limiter) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var httpContext = context.GetHttpContext();
        if (httpContext is null || !limiter.Enabled)
        {
            await next(context);
            return;
        }

        var decisions = new List<RateLimitDecision>();
        foreach (var configured in limiter.Policies.ForFunction(context.FunctionDefinition.Name).Where(p => p.PartitionBy != RateLimitPartitionBy.Email))
        {
            var (policy, partition) = await RateLimitPartitions.ResolveAsync(configured, limiter.Policies, httpContext.Request);
            var decision = await limiter.AcquireAsync(policy, partition, httpContext.RequestAborted);
            decisions.Add(decision);
            if (!decision.Allowed)
            {
                // The remaining policies are not charged for a request that will not run.
                throw RateLimitHeaders.TooManyRequests(decisions);
            }
        }

        RateLimitHeaders.Apply(httpContext.Response.Headers, decisions);
        await next(context);
    }
}
