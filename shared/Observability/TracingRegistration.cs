using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shop.Shared.Messaging;

namespace Shop.Shared.Observability;

/// <summary>
/// Traces and structured logs over OTLP (section <c>Tracing</c>, or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): off when no endpoint
/// is set, so an app without a collector pays nothing. The trace itself flows either way (W3C traceparent in HttpClient
/// calls, stored events and RabbitMQ headers; the correlation id in logs).
/// </summary>
public static class TracingRegistration
{
    public const string Section = "Tracing";

    /// <summary>Shop's own spans, the Durable Task worker's (orchestration and activity runs) and the Functions worker's.</summary>
    public static readonly IReadOnlyList<string> Sources =
        [ShopTracing.InvocationSourceName, MessagingTelemetry.SourceName, "Microsoft.DurableTask", "Microsoft.DurableTask.*"];

    public static string? OtlpEndpoint(IConfiguration configuration) =>
        new[] { configuration[Section + ":OtlpEndpoint"], configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] }
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    /// <param name="functionsWorker">The Functions worker's own invocation spans and resource (not in the consumer role).</param>
    public static IServiceCollection AddShopTracing(this IServiceCollection services, IConfiguration configuration, bool functionsWorker)
    {
        if (OtlpEndpoint(configuration) is not { } endpoint)
        {
            return services;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new OptionsValidationException(Section, typeof(Uri), [$"{Section}:OtlpEndpoint '{endpoint}' is not an http(s) URL."]);
        }

        var openTelemetry = services.AddOpenTelemetry();
        if (functionsWorker)
        {
            openTelemetry.UseFunctionsWorkerDefaults();
        }

        openTelemetry.WithTracing(tracing => tracing
            .AddSource([.. Sources])
            .AddHttpClientInstrumentation()
            .AddOtlpExporter(otlp => otlp.Endpoint = uri));
        // Log records too, structured and stamped with the trace and span of the line, to the same collector.
        openTelemetry.WithLogging(logging => logging.AddOtlpExporter(otlp => otlp.Endpoint = uri));
        services.ConfigureOpenTelemetryTracerProvider((provider, tracing) => tracing.ConfigureResource(resource =>
            resource.AddService(provider.GetRequiredService<IOptions<MetricsOptions>>().Value.App ?? "shop")));
        return services;
    }
}
