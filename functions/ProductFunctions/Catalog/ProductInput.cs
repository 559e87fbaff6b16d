using System.ComponentModel.DataAnnotations;

namespace Shop.Products.Catalog;

/// <summary>
/// The fields a client may write. Id, version and timestamps are not here, so they cannot be mass-assigned: a body
/// that names them is refused as an unknown field.
/// </summary>
public sealed record ProductInput
{
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", ErrorMessage = "must be 1-64 letters, digits, '.', '_' or '-'")]
    public string? Sku { get; init; }

    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    [StringLength(2000)]
    public string? Description { get; init; }

    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,63}$", ErrorMessage = "must be 1-64 lower-case letters, digits or '-'")]
    public string? Category { get; init; }

    /// <summary>Minor units: 1999 is 19.99.</summary>
    [Required, Range(0L, 100_000_000_00L)]
    public long? Price { get; init; }

    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "must be an ISO 4217 code such as EUR")]
    public string? Currency { get; init; }

    [Required, Range(0, 1_000_000)]
    public int? Stock { get; init; }
}
