namespace Shop.Contracts.Orders;

/// <summary>
/// What an order id may be, wherever it travels: 1-64 ASCII letters, digits, '_' or '-' (safe in a URL segment, a
/// MongoDB field name and an outbox event id). OrderFunctions derives 32 lower-case hex characters, which fit.
/// </summary>
public static class OrderIds
{
    public const int MaxLength = 64;

    /// <summary>The same rule as <see cref="IsValid"/>, for validation attributes and OpenAPI.</summary>
    public const string Pattern = "^[A-Za-z0-9_-]{1,64}$";

    public const string Description = "must be 1-64 letters, digits, '_' or '-'";

    public static bool IsValid(string? orderId) =>
        orderId is { Length: >= 1 and <= MaxLength } && orderId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
