using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Shared.Messaging;

/// <summary>
/// The wire format of an event: a JSON envelope <c>{"id","type","occurredAt","data"}</c> (self-describing, so a message
/// moved by hand out of a dead-letter queue still reads), plus AMQP properties that let the broker and tools see the
/// id and type without parsing the body.
/// </summary>
internal static class EventMessage
{
    public const string ContentType = "application/json";

    public static byte[] Body(string id, string type, DateTime occurredAt, string dataJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", type);
            writer.WriteString("occurredAt", occurredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WritePropertyName("data");
            writer.WriteRawValue(dataJson);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static BasicProperties Properties(string id, string type, DateTime occurredAt, string? traceParent)
    {
        var properties = new BasicProperties
        {
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = id,
            Type = type,
            ContentType = ContentType,
            Timestamp = new AmqpTimestamp(new DateTimeOffset(occurredAt.ToUniversalTime()).ToUnixTimeSeconds()),
            Headers = new Dictionary<string, object?>(StringComparer.Ordinal),
        };
        if (traceParent is not null)
        {
            properties.Headers[MessageHeaders.TraceParent] = traceParent;
        }

        return properties;
    }

    /// <summary>The same message for another run: every property kept, the failure count and last error updated.</summary>
    public static BasicProperties ForRetry(IReadOnlyBasicProperties original, int failedAttempts, Exception error)
    {
        var headers = original.Headers is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal)
            : new Dictionary<string, object?>(original.Headers, StringComparer.Ordinal);
        // The client adds its own sequence number for confirm tracking on every publish.
        headers.Remove(Constants.PublishSequenceNumberHeader);
        headers[MessageHeaders.FailedAttempts] = failedAttempts;
        headers[MessageHeaders.LastError] = MessageHeaders.DescribeError(error);
        return new BasicProperties(original) { Headers = headers, DeliveryMode = DeliveryModes.Persistent };
    }

    public static bool TryRead(
        ReadOnlySpan<byte> body,
        IReadOnlyBasicProperties properties,
        bool redelivered,
        [NotNullWhen(true)] out ReceivedEvent? received,
        out string? error)
    {
        received = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "the body is not a JSON object";
                return false;
            }

            var id = String(root, "id");
            var type = String(root, "type");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(type))
            {
                error = "the body has no id or type";
                return false;
            }

            if (!root.TryGetProperty("data", out var data) ||
                !root.TryGetProperty("occurredAt", out var occurredAtElement) ||
                !occurredAtElement.TryGetDateTime(out var occurredAt))
            {
                error = "the body has no data or no valid occurredAt";
                return false;
            }

            var attempt = MessageHeaders.ReadFailedAttempts(properties.Headers) + 1;
            received = new ReceivedEvent(id, type, data.Clone(), occurredAt.ToUniversalTime(), attempt, redelivered);
            error = null;
            return true;
        }
        catch (JsonException exception)
        {
            error = "the body is not valid JSON: " + exception.Message;
            return false;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
