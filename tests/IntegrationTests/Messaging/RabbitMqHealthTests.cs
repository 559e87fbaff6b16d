using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Health;

namespace Shop.IntegrationTests.Messaging;

public sealed class RabbitMqHealthTests
{
    private static async Task<DependencyStatus> CheckAsync(MessagingEnvironment environment, string? uri = null)
    {
        var settings = uri is null ? null : new Dictionary<string, string?> { ["RabbitMq:Uri"] = uri };
        await using var app = await MessagingApp.CreateAsync(environment, services => services.AddHealthChecks().Services.AddSingleton<HealthProbe>(), settings);
        var report = await app.Get<HealthProbe>().CheckAsync(CancellationToken.None);
        return Assert.Single(report.Dependencies, d => d.Name == "rabbitmq");
    }

    [SkippableFact]
    public async Task RabbitMq_is_up_when_the_broker_answers()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();

        var status = await CheckAsync(environment);

        Assert.Equal("up", status.Status);
    }

    [SkippableFact]
    public async Task RabbitMq_is_down_when_nothing_listens_at_the_uri()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();

        var status = await CheckAsync(environment, "amqp://guest:guest@127.0.0.1:1/");

        Assert.Equal("down", status.Status);
        Assert.InRange(status.DurationMs, 0, (long)HealthProbe.Deadline.TotalMilliseconds + 500);
    }
}
