using System.Diagnostics;
using Shop.Shared.Observability;

namespace Shop.Shared.Messaging;

/// <summary>
/// Traces of event publishing and handling, continuing the trace that stored the event (its <c>traceparent</c>): the
/// relay's publish is a child of the request, the handler a child of the publish, so one trace runs from the request
/// to every consumer (see <see cref="ShopTracing.Start"/> for what happens when no tracer listens).
/// </summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Shop.Messaging";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? StartProcess(ReceivedEvent received, string queue, string? traceParent)
    {
        var activity = ShopTracing.Start(Source, received.Type + " process", ActivityKind.Consumer, ShopTracing.Parent(traceParent));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", received.Id);
        return activity;
    }

    /// <summary>The relay's publish of a stored event, a child of the request that stored it; its id travels on.</summary>
    internal static Activity? StartPublish(OutboxDocument message, string exchange)
    {
        var activity = ShopTracing.Start(Source, message.Type + " publish", ActivityKind.Producer, ShopTracing.Parent(message.TraceParent));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", message.RoutingKey);
        activity?.SetTag("messaging.message.id", message.Id);
        return activity;
    }
}
