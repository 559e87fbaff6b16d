using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Shared.Health;

/// <summary>
/// Runs the readiness checks through <see cref="HealthCheckService"/> (in parallel, each with <see cref="Deadline"/>)
/// and answers in Shop's shape: any dependency down means unhealthy.
/// </summary>
public sealed class HealthProbe(HealthCheckService checks)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(HealthRegistration.ReadinessTag), cancellationToken);
        var dependencies = report.Entries.Select(entry => ToStatus(entry.Key, entry.Value)).ToList();
        return new ReadinessReport(report.Status == HealthStatus.Healthy ? "healthy" : "unhealthy", dependencies);
    }

    private static DependencyStatus ToStatus(string name, HealthReportEntry entry) =>
        entry.Status == HealthStatus.Healthy
            ? new DependencyStatus(name, "up", (long)entry.Duration.TotalMilliseconds)
            : new DependencyStatus(name, "down", (long)entry.Duration.TotalMilliseconds, entry.Exception?.GetType().Name ?? entry.Description);
}
