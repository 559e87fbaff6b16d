using System.Text.Json;

namespace Shop.Shared.Messaging;

/// <summary>
/// An event for other services, e.g. <c>order.paid</c>. The id is deterministic where the producer can make it so
/// (<c>{orderId}:order.paid</c>): writing the same event twice then stores it once, which is what makes "state change
/// then outbox insert" safe to retry without a multi-document transaction.
/// </summary>
public sealed record IntegrationEvent(string Id, string Type, JsonElement Data, DateTime OccurredAt)
{
    /// <summary>The RabbitMQ routing key: the event type (topic exchange; consumers bind patterns like <c>order.*</c>).</summary>
    public string RoutingKey => Type;

    public static IntegrationEvent Create<T>(string id, string type, T data, DateTime occurredAt) =>
        new(id, type, JsonSerializer.SerializeToElement(data, Json.ShopJson.Options), occurredAt);
}
