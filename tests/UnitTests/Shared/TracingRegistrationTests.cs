using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Shop.Shared.Observability;

namespace Shop.UnitTests.Shared;

public sealed class TracingRegistrationTests
{
    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.SetMetricsApp("orders");
        services.AddShopTracing(configuration, functionsWorker: false);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_an_endpoint_no_tracer_is_registered()
    {
        using var services = Build();

        Assert.Null(services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("Tracing:OtlpEndpoint")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public void An_endpoint_in_either_setting_turns_the_tracer_on(string setting)
    {
        using var services = Build((setting, "http://127.0.0.1:4317"));

        Assert.NotNull(services.GetService<TracerProvider>());
    }

    [Fact]
    public void A_malformed_endpoint_stops_the_app_at_start()
    {
        Assert.Throws<OptionsValidationException>(() => Build(("Tracing:OtlpEndpoint", "collector:4317")));
    }
}
