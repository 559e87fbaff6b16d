using System.Globalization;
using System.Text;

namespace Shop.Shared.Messaging;

/// <summary>The AMQP headers Shop sets on event messages besides the standard properties.</summary>
public static class MessageHeaders
{
    /// <summary>How many handler runs of this consumer queue have failed before this delivery.</summary>
    public const string FailedAttempts = "x-attempts";

    /// <summary>The last handler failure (exception type and message), kept for whoever inspects the dead-letter queue.</summary>
    public const string LastError = "x-last-error";

    /// <summary>W3C trace context of the operation that stored the event.</summary>
    public const string TraceParent = "traceparent";

    private const int MaxErrorLength = 500;

    public static int ReadFailedAttempts(IDictionary<string, object?>? headers) =>
        headers is not null && headers.TryGetValue(FailedAttempts, out var value) ? ToInt(value) : 0;

    /// <summary>Header strings come back from the broker as UTF-8 bytes.</summary>
    public static string? ReadString(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            }
            : null;

    public static string DescribeError(Exception exception)
    {
        var text = exception.GetType().Name + ": " + exception.Message;
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    private static int ToInt(object? value) => value switch
    {
        int i => Math.Max(0, i),
        long l => (int)Math.Clamp(l, 0, int.MaxValue),
        short s => Math.Max(0, (int)s),
        byte b => b,
        sbyte sb => Math.Max(0, (int)sb),
        byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => 0,
    };
}
