using MongoDB.Bson.Serialization.Attributes;
using Shop.Shared.Mongo;

namespace Shop.Shared.Messaging;

/// <summary>One stored event in the <c>outbox</c> collection; <c>_id</c> is the event id.</summary>
internal sealed record OutboxDocument : ILeasedDocument
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string RoutingKey { get; init; }

    /// <summary>The event data as JSON text: a string survives every server, BSON decimals and binaries may not.</summary>
    public required string Payload { get; init; }

    public required DateTime OccurredAt { get; init; }

    public required DateTime CreatedAt { get; init; }

    /// <summary>Set only after the broker confirmed the publish.</summary>
    public DateTime? SentAt { get; init; }

    public int Attempts { get; init; }

    public DateTime NextAttemptAt { get; init; }

    /// <summary>A relay's claim: no other relay takes the event before this time.</summary>
    public DateTime LockedUntil { get; init; }

    // The element keeps the name it had before the outbox moved to LeasedClaims, so stored events stay claimable.
    [BsonElement("lockedBy")]
    public string? LockToken { get; init; }

    public string? TraceParent { get; init; }

    public string? LastError { get; init; }
}
