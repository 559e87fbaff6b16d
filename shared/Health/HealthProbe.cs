using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Shop.Shared.Health;

/// <summary>One dependency a readiness check looks at (MongoDB, Redis, RabbitMQ).</summary>
public interface IDependencyCheck
{
    string Name { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}

public sealed record DependencyStatus(string Name, string Status, long DurationMs, string? Error = null);

public sealed record HealthReport(string Status, IReadOnlyList<DependencyStatus> Dependencies)
{
    public bool IsHealthy => Status == "healthy";
}

/// <summary>Runs every registered dependency check in parallel with a deadline; any failure means 503.</summary>
public sealed class HealthProbe(IEnumerable<IDependencyCheck> checks, ILogger<HealthProbe> logger)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(checks.Select(check => RunAsync(check, cancellationToken)));
        var healthy = results.All(r => r.Status == "up");
        return new HealthReport(healthy ? "healthy" : "unhealthy", results);
    }

    private async Task<DependencyStatus> RunAsync(IDependencyCheck check, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            await check.CheckAsync(timeout.Token).WaitAsync(timeout.Token);
            return new DependencyStatus(check.Name, "up", stopwatch.ElapsedMilliseconds);
        }
        catch (Exception exception)
        {
            logger.LogWarning("Health check of {Dependency} failed: {ExceptionType}", check.Name, exception.GetType().Name);
            return new DependencyStatus(check.Name, "down", stopwatch.ElapsedMilliseconds, exception.GetType().Name);
        }
    }
}
