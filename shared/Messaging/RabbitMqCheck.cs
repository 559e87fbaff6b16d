using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Shared.Messaging;

/// <summary>Ready when the shared connection is open; a connection still recovering counts as down.</summary>
public sealed class RabbitMqCheck(RabbitMqConnection rabbit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = await rabbit.GetConnectionAsync(cancellationToken).WaitAsync(cancellationToken);
        return connection.IsOpen ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The RabbitMQ connection is recovering.");
    }
}
