using System.Text;
using RabbitMQ.Client;
using Shop.Shared.Messaging;

namespace Shop.UnitTests.Messaging;

public sealed class EventMessageTests
{
    private static readonly DateTime OccurredAt = new(2025, 11, 1, 12, 30, 15, DateTimeKind.Utc);

    [Fact]
    public void Body_and_properties_round_trip_into_a_received_event()
    {
        var body = EventMessage.Body("order-1:order.paid", "order.paid", OccurredAt, """{"amount":1999,"currency":"EUR"}""");
        var properties = EventMessage.Properties("order-1:order.paid", "order.paid", OccurredAt, traceParent: null);

        Assert.True(EventMessage.TryRead(body, properties, redelivered: false, out var received, out var error), error);

        Assert.Equal("order-1:order.paid", received.Id);
        Assert.Equal("order.paid", received.Type);
        Assert.Equal(OccurredAt, received.OccurredAt);
        Assert.Equal(1999, received.Data.GetProperty("amount").GetInt32());
        Assert.Equal(1, received.Attempt);
        Assert.False(received.Redelivered);
    }

    [Fact]
    public void Properties_make_a_persistent_json_message_named_by_event_id_and_type()
    {
        var properties = EventMessage.Properties("e-1", "product.stock_low", OccurredAt, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        Assert.Equal(DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Equal("e-1", properties.MessageId);
        Assert.Equal("product.stock_low", properties.Type);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(new DateTimeOffset(OccurredAt).ToUnixTimeSeconds(), properties.Timestamp.UnixTime);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", properties.Headers![MessageHeaders.TraceParent]);
    }

    [Fact]
    public void No_traceparent_header_without_a_trace()
    {
        var properties = EventMessage.Properties("e-1", "order.paid", OccurredAt, traceParent: null);

        Assert.False(properties.Headers!.ContainsKey(MessageHeaders.TraceParent));
    }

    [Fact]
    public void A_retry_keeps_every_property_and_counts_the_failure()
    {
        var original = EventMessage.Properties("e-1", "order.paid", OccurredAt, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        original.Headers![Constants.PublishSequenceNumberHeader] = 41L;

        var retry = EventMessage.ForRetry(original, failedAttempts: 2, new InvalidOperationException("smtp down"));

        Assert.Equal("e-1", retry.MessageId);
        Assert.Equal("order.paid", retry.Type);
        Assert.Equal(DeliveryModes.Persistent, retry.DeliveryMode);
        Assert.Equal(2, MessageHeaders.ReadFailedAttempts(retry.Headers));
        Assert.Equal("InvalidOperationException: smtp down", retry.Headers![MessageHeaders.LastError]);
        Assert.True(retry.Headers.ContainsKey(MessageHeaders.TraceParent));
        Assert.False(retry.Headers.ContainsKey(Constants.PublishSequenceNumberHeader));
        Assert.False(original.Headers.ContainsKey(MessageHeaders.FailedAttempts));
    }

    [Fact]
    public void The_attempt_number_follows_the_failure_count_header()
    {
        var body = EventMessage.Body("e-1", "order.paid", OccurredAt, "{}");
        var properties = EventMessage.ForRetry(EventMessage.Properties("e-1", "order.paid", OccurredAt, null), 3, new TimeoutException());

        Assert.True(EventMessage.TryRead(body, properties, redelivered: true, out var received, out _));

        Assert.Equal(4, received.Attempt);
        Assert.True(received.Redelivered);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"type":"order.paid","occurredAt":"2025-11-01T00:00:00Z","data":{}}""")]
    [InlineData("""{"id":"e-1","type":"order.paid","data":{}}""")]
    [InlineData("""{"id":"e-1","type":"order.paid","occurredAt":"yesterday","data":{}}""")]
    [InlineData("""{"id":"e-1","type":"order.paid","occurredAt":"2025-11-01T00:00:00Z"}""")]
    public void Unreadable_bodies_are_refused_with_a_reason(string body)
    {
        var readable = EventMessage.TryRead(Encoding.UTF8.GetBytes(body), new BasicProperties(), redelivered: false, out var received, out var error);

        Assert.False(readable);
        Assert.Null(received);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Data_is_written_as_json_not_as_a_string()
    {
        var body = Encoding.UTF8.GetString(EventMessage.Body("e-1", "order.paid", OccurredAt, """{"sku":"K-1"}"""));

        Assert.Equal("""{"id":"e-1","type":"order.paid","occurredAt":"2025-11-01T12:30:15.0000000Z","data":{"sku":"K-1"}}""", body);
    }
}
