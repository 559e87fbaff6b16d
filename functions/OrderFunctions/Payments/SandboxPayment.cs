using MongoDB.Bson.Serialization.Attributes;

namespace Shop.Orders.Payments;

public sealed record SandboxPayment
{
    [BsonId]
    public required string Id { get; init; }

    public required string Token { get; init; }

    public required long Amount { get; init; }

    public required string Currency { get; init; }

    public required SandboxPaymentState State { get; init; }

    public int Attempts { get; init; }

    public string? PaymentId { get; init; }

    public string? DeclineReason { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }
}
