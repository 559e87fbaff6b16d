using System.Diagnostics;

namespace Shop.Shared.Messaging;

/// <summary>
/// Traces of event handling, continuing the trace that stored the event (its <c>traceparent</c> header). Without an
/// ActivitySource listener a plain Activity still carries the trace, so the handler's logs, outgoing calls and the
/// events it stores keep the correlation id of the request that started it all.
/// </summary>
public static class MessagingTelemetry
{
    public const string SourceName = "Shop.Messaging";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static Activity? StartProcess(ReceivedEvent received, string queue, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        var name = received.Type + " process";
        if (!Source.HasListeners())
        {
            var plain = new Activity(name);
            plain.SetIdFormat(ActivityIdFormat.W3C);
            if (parent != default)
            {
                plain.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
            }

            return plain.Start();
        }

        var activity = Source.StartActivity(name, ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("messaging.message.id", received.Id);
        return activity;
    }
}
