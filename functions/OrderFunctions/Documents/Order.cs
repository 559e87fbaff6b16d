using MongoDB.Bson.Serialization.Attributes;

namespace Shop.Orders.Documents;

/// <summary>
/// One order, keyed by its id (which is also the orchestration's instance id). The orchestration is the only writer
/// after creation; <see cref="Reached"/> records when each status was first reached, which makes every transition
/// idempotent: a retried or replayed activity finds its marker and changes nothing.
/// </summary>
public sealed record Order
{
    [BsonId]
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required OrderStatus Status { get; init; }

    /// <summary>The SHA-256 of the canonical request body, so a key reused after its idempotency record expired is still caught.</summary>
    public required string RequestHash { get; init; }

    /// <summary>What was asked for; names and prices are filled in from the reservation, never from the client.</summary>
    public required IReadOnlyList<OrderLine> Items { get; init; }

    /// <summary>Integer minor units, from the reservation.</summary>
    public long? Total { get; init; }

    public string? Currency { get; init; }

    public required ShippingAddress ShippingAddress { get; init; }

    public required IReadOnlyList<StatusChange> History { get; init; }

    public Dictionary<string, DateTime> Reached { get; init; } = [];

    /// <summary>Why the order was rejected, failed or cancelled.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Set by the cancel endpoint before it raises the cancel event: the reason to record. The authorise step records
    /// Paid and Confirmed only while this is unset, so a cancel that arrives during authorisation is honoured first.
    /// </summary>
    public string? CancelReason { get; init; }

    /// <summary>Set once the orchestration was scheduled; a retried placement then never schedules again.</summary>
    public DateTime? ScheduledAt { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    public static bool IsFinished(OrderStatus status) =>
        status is OrderStatus.Completed or OrderStatus.Rejected or OrderStatus.PaymentFailed or OrderStatus.Cancelled;

    public static bool IsShipped(OrderStatus status) =>
        status is OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.Completed;
}
