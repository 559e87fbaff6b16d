using MongoDB.Bson.Serialization.Attributes;
using Shop.Contracts.Reservations;
using Shop.Shared.Mongo;

namespace Shop.Products.Reservations;

/// <summary>
/// One order's reservation, keyed by the order id so retries and concurrent duplicates find the first attempt.
/// A one-item reservation is written once, already decided (Reserved or Rejected), after the product's conditional
/// update; a Pending one (several items) is claimed with <see cref="LeasedClaims{TDocument}"/> and worked on by whoever
/// holds its lease, and after a crash the lease expires and the next attempt resumes, which is safe because each product
/// step is idempotent per order. Documents written already decided carry no lease.
/// </summary>
public sealed record Reservation : ILeasedDocument
{
    [BsonId]
    public required string OrderId { get; init; }

    public required ReservationStatus Status { get; init; }

    public required string RequestHash { get; init; }

    public required IReadOnlyList<RequestedItem> Requested { get; init; }

    public IReadOnlyList<ReservedItem> Items { get; init; } = [];

    public string? RejectionReason { get; init; }

    public string? RejectedProductId { get; init; }

    public string? LockToken { get; init; }

    // Stored documents written before the lease moved to LeasedClaims name the element leaseUntil.
    [BsonElement("leaseUntil")]
    public DateTime LockedUntil { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }

    string ILeasedDocument.Id => OrderId;

    public ReservationView ToView() => ReservationView.Of(OrderId, Status, Items);
}

public sealed record RequestedItem(string ProductId, int Quantity);
