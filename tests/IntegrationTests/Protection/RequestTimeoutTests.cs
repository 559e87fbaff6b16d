using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;

namespace Shop.IntegrationTests.Protection;

/// <summary>The request deadline of every app (RequestTimeoutMiddleware), with a function that waits on its token.</summary>
public sealed class RequestTimeoutTests
{
    private static async Task<FunctionTestHost> StartAsync(string timeout)
    {
        var servers = await Servers.RequireAsync();
        return FunctionTestHost.Create(
            new Dictionary<string, string?>
            {
                ["Mongo:ConnectionString"] = servers.MongoUri,
                ["Redis:Configuration"] = servers.Redis,
                ["RequestTimeout:Default"] = timeout,
                ["RequestTimeout:Functions:Quick"] = "00:00:30",
            },
            (_, _) => { },
            functionClasses: [typeof(SlowFunctions)]);
    }

    [SkippableFact]
    public async Task A_function_still_running_at_its_deadline_answers_504_problem_and_is_counted_as_504()
    {
        await using var host = await StartAsync("00:00:00.200");

        var response = await host.SendAsync("GET", "slow");
        var metrics = await MetricsSnapshot.ScrapeAsync(host.Services);

        Assert.Equal(504, response.Status);
        Assert.Equal("https://shop.example/problems/timeout", response.Document.GetProperty("type").GetString());
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.True(response.Headers.ContainsKey("x-correlation-id"));
        Assert.Equal(1, metrics.Value("shop_http_requests_total", ("function", "Slow"), ("status", "504")));
    }

    [SkippableFact]
    public async Task A_function_with_its_own_longer_deadline_finishes()
    {
        await using var host = await StartAsync("00:00:00.001");

        var response = await host.SendAsync("GET", "quick");

        Assert.Equal(200, response.Status);
    }

    /// <summary>Test-only functions: one that waits until its request is cancelled, one that answers after a yield.</summary>
    public sealed class SlowFunctions
    {
        [Function("Slow")]
        public static async Task<IActionResult> Slow([HttpTrigger(AuthorizationLevel.Function, "get", Route = "slow")] HttpRequest request)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, request.HttpContext.RequestAborted);
            return Responses.NoContent();
        }

        [Function("Quick")]
        public static async Task<IActionResult> Quick([HttpTrigger(AuthorizationLevel.Function, "get", Route = "quick")] HttpRequest request)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), request.HttpContext.RequestAborted);
            return Responses.Ok(new { done = true });
        }
    }
}
