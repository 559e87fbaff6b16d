using System.Diagnostics;

namespace Shop.Shared.Observability;

/// <summary>The spans Shop starts itself, and how: exported when a tracer listens, a plain Activity otherwise.</summary>
public static class ShopTracing
{
    public const string InvocationSourceName = "Shop.Invocation";

    internal static readonly ActivitySource Invocations = new(InvocationSourceName);

    /// <summary>
    /// A span that continues <paramref name="parent"/> (none: a new trace). Without a listener a plain Activity still
    /// carries the trace, so logs, outgoing HttpClient calls and stored events keep the trace id either way.
    /// </summary>
    public static Activity? Start(ActivitySource source, string name, ActivityKind kind, ActivityContext parent)
    {
        if (source.HasListeners())
        {
            return source.StartActivity(name, kind, parent);
        }

        var plain = new Activity(name);
        plain.SetIdFormat(ActivityIdFormat.W3C);
        if (parent != default)
        {
            plain.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        }

        return plain.Start();
    }

    /// <summary>A W3C traceparent as a parent context; none (a new trace) when absent or malformed.</summary>
    public static ActivityContext Parent(string? traceParent, string? traceState = null) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, traceState, out var parent) ? parent : default;
}
