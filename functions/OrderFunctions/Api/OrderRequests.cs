using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using Shop.Contracts.Reservations;
using Shop.Shared.Http;
using Shop.Shared.Json;

namespace Shop.Orders.Api;

/// <summary>
/// POST /api/orders. Clients name products and quantities only: there is no field for a price (an unknown field is a
/// 400), prices come from the stock reservation.
/// </summary>
public sealed record PlaceOrderRequest : IValidatableObject
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxItems = ReservationLimits.MaximumItems;
    public const int MaxQuantity = ReservationLimits.MaximumQuantity;
    public const int MaxPaymentTokenLength = 64;

    [Required, MinLength(1), MaxLength(MaxItems)]
    public IReadOnlyList<OrderItemRequest>? Items { get; init; }

    [Required]
    public ShippingAddressRequest? ShippingAddress { get; init; }

    [Required, StringLength(MaxPaymentTokenLength, MinimumLength = 1)]
    [RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessage = "must be letters, digits, '_' or '-'")]
    public string? PaymentToken { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, index) in (Items ?? []).Select((item, index) => (item, index)))
        {
            if (item is null || !Ids.IsValid(item.ProductId))
            {
                yield return new ValidationResult("must be a product id", [$"items[{index}].productId"]);
            }
            else if (!seen.Add(item.ProductId!))
            {
                yield return new ValidationResult("names a product that an earlier item already names", [$"items[{index}].productId"]);
            }

            if (item?.Quantity is not (>= 1 and <= MaxQuantity))
            {
                yield return new ValidationResult($"must be from 1 to {MaxQuantity}", [$"items[{index}].quantity"]);
            }
        }

        if (ShippingAddress is not null)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(ShippingAddress, new ValidationContext(ShippingAddress), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult(result.ErrorMessage, result.MemberNames.Select(m => "shippingAddress." + JsonNamingPolicy.CamelCase.ConvertName(m)));
            }
        }
    }

    /// <summary>
    /// SHA-256 of the canonical form of the body: the parsed request written back with the shared serializer, so
    /// whitespace and property order do not make two equal requests differ, while any change of value does.
    /// </summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this, ShopJson.Options)));
}

public sealed record OrderItemRequest(string? ProductId, int? Quantity);

public sealed record ShippingAddressRequest : IValidatableObject
{
    [Required, StringLength(100)]
    public string? Name { get; init; }

    [Required, StringLength(200)]
    public string? Line1 { get; init; }

    [StringLength(200)]
    public string? Line2 { get; init; }

    [Required, StringLength(100)]
    public string? City { get; init; }

    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$", ErrorMessage = "must be 1-16 letters, digits, spaces or '-'")]
    public string? PostalCode { get; init; }

    [Required]
    public string? Country { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Country is not null && !Countries.IsAlpha2(Country))
        {
            yield return new ValidationResult("must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE", [nameof(Country)]);
        }

        foreach (var (value, member) in new[] { (Name, nameof(Name)), (Line1, nameof(Line1)), (Line2, nameof(Line2)), (City, nameof(City)) })
        {
            if (value is not null && value.Any(char.IsControl))
            {
                yield return new ValidationResult("must not contain control characters", [member]);
            }
        }
    }
}
