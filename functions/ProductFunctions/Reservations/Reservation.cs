using System.ComponentModel.DataAnnotations;
using MongoDB.Bson.Serialization.Attributes;

namespace Shop.Products.Reservations;

public enum ReservationStatus
{
    Pending,
    Reserved,
    Rejected,
    Released,
    Committed,
}

/// <summary>
/// One order's reservation, keyed by the order id so retries and concurrent duplicates find the first attempt.
/// A Pending reservation is being worked on by whoever holds the lease; after a crash the lease expires and the next
/// attempt resumes, which is safe because each product step is idempotent per order.
/// </summary>
public sealed record Reservation
{
    [BsonId]
    public required string OrderId { get; init; }

    public required ReservationStatus Status { get; init; }

    public required string RequestHash { get; init; }

    public required IReadOnlyList<RequestedItem> Requested { get; init; }

    public IReadOnlyList<ReservedItem> Items { get; init; } = [];

    public string? RejectionReason { get; init; }

    public string? RejectedProductId { get; init; }

    public DateTime LeaseUntil { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }
}

public sealed record RequestedItem(string ProductId, int Quantity);

/// <summary>What the order may charge for: price and name as the catalog had them at reservation time.</summary>
public sealed record ReservedItem(string ProductId, int Quantity, string Name, long UnitPrice, string Currency);

public sealed record ReserveRequest : IValidatableObject
{
    public const int MaximumItems = 50;
    public const int MaximumQuantity = 1000;

    [Required, RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "must be 1-64 letters, digits, '_' or '-'")]
    public string? OrderId { get; init; }

    [Required, MinLength(1), MaxLength(MaximumItems)]
    public IReadOnlyList<ReserveItemRequest>? Items { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (item, index) in (Items ?? []).Select((item, index) => (item, index)))
        {
            if (item is null || !Shop.Shared.Http.Ids.IsValid(item.ProductId))
            {
                yield return new ValidationResult("must be a product id", [$"items[{index}].productId"]);
            }

            if (item?.Quantity is not (>= 1 and <= MaximumQuantity))
            {
                yield return new ValidationResult($"must be from 1 to {MaximumQuantity}", [$"items[{index}].quantity"]);
            }
        }
    }
}

public sealed record ReserveItemRequest(string? ProductId, int? Quantity);

public sealed record ReservationView(string OrderId, ReservationStatus Status, IReadOnlyList<ReservedItem> Items, long Total, string? Currency)
{
    public static ReservationView From(Reservation r) =>
        new(r.OrderId, r.Status, r.Items, r.Items.Sum(i => i.UnitPrice * i.Quantity), r.Items.Count > 0 ? r.Items[0].Currency : null);
}
