using System.Diagnostics;

namespace Shop.Shared.Messaging;

/// <summary>Traces of event handling, continuing the trace that stored the event (its <c>traceparent</c> header).</summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Shop.Messaging";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? StartProcess(ReceivedEvent received, string queue, string? traceParent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = Source.StartActivity(received.Type + " process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", received.Id);
        return activity;
    }
}
