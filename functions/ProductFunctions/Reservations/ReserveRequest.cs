using System.ComponentModel.DataAnnotations;
using Shop.Contracts.Orders;
using Shop.Contracts.Reservations;

namespace Shop.Products.Reservations;

/// <summary>
/// <see cref="ReservationRequest"/> as it arrives: every member nullable so that a missing one is a 400 naming it,
/// checked against the contract's limits and order-id format.
/// </summary>
public sealed record ReserveRequest : IValidatableObject
{
    [Required, RegularExpression(OrderIds.Pattern, ErrorMessage = OrderIds.Description)]
    public string? OrderId { get; init; }

    [Required, MinLength(1), MaxLength(ReservationLimits.MaximumItems)]
    public IReadOnlyList<ReserveItemRequest>? Items { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (item, index) in (Items ?? []).Select((item, index) => (item, index)))
        {
            if (item is null || !Shop.Shared.Http.Ids.IsValid(item.ProductId))
            {
                yield return new ValidationResult("must be a product id", [$"items[{index}].productId"]);
            }

            if (item?.Quantity is not (>= 1 and <= ReservationLimits.MaximumQuantity))
            {
                yield return new ValidationResult($"must be from 1 to {ReservationLimits.MaximumQuantity}", [$"items[{index}].quantity"]);
            }
        }
    }
}

public sealed record ReserveItemRequest(string? ProductId, int? Quantity);
