using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.Shared.Health;

namespace Shop.UnitTests.Shared;

public sealed class HealthProbeTests
{
    private sealed class AnsweringCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Healthy());
    }

    private sealed class RefusingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("no answer");
    }

    /// <summary>Never answers until the deadline cancels it, like a server that accepted the connection and hung.</summary>
    private sealed class HangingCheck : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private static HealthProbe Probe(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks();
        services.AddSingleton<HealthProbe>();
        register(services);
        return services.BuildServiceProvider().GetRequiredService<HealthProbe>();
    }

    [Fact]
    public async Task All_dependencies_answering_is_healthy_with_each_named_up()
    {
        var probe = Probe(s => s.AddReadinessCheck<AnsweringCheck>("mongodb").AddReadinessCheck<AnsweringCheck>("redis"));

        var report = await probe.CheckAsync(CancellationToken.None);

        Assert.True(report.IsHealthy);
        Assert.Equal(["mongodb:up", "redis:up"], report.Dependencies.Select(d => $"{d.Name}:{d.Status}").Order());
    }

    [Fact]
    public async Task One_dependency_failing_is_unhealthy_naming_it_and_its_error()
    {
        var probe = Probe(s => s.AddReadinessCheck<AnsweringCheck>("mongodb").AddReadinessCheck<RefusingCheck>("redis"));

        var report = await probe.CheckAsync(CancellationToken.None);

        Assert.False(report.IsHealthy);
        Assert.Equal("unhealthy", report.Status);
        var redis = Assert.Single(report.Dependencies, d => d.Name == "redis");
        Assert.Equal(("down", nameof(TimeoutException)), (redis.Status, redis.Error));
        Assert.Equal("up", Assert.Single(report.Dependencies, d => d.Name == "mongodb").Status);
    }

    [Fact]
    public async Task A_dependency_that_never_answers_is_down_at_the_deadline()
    {
        var probe = Probe(s => s.AddReadinessCheck<HangingCheck>("rabbitmq"));
        var stopwatch = Stopwatch.StartNew();

        var report = await probe.CheckAsync(CancellationToken.None);

        Assert.Equal("down", Assert.Single(report.Dependencies).Status);
        Assert.InRange(stopwatch.Elapsed, HealthProbe.Deadline - TimeSpan.FromMilliseconds(100), HealthProbe.Deadline + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Adding_a_check_name_twice_runs_it_once()
    {
        var probe = Probe(s => s.AddReadinessCheck<AnsweringCheck>("redis").AddReadinessCheck<AnsweringCheck>("redis"));

        var report = await probe.CheckAsync(CancellationToken.None);

        Assert.Single(report.Dependencies);
    }
}
