namespace Shop.Contracts.Reservations;

/// <summary>
/// The <c>reason</c> member of every 409 problem of the reservation API. The business rejections are answers (the
/// order is rejected); the others say the call can never or not yet succeed as sent.
/// </summary>
public static class RejectionReasons
{
    public const string InsufficientStock = "insufficient-stock";
    public const string UnknownProduct = "unknown-product";
    public const string MixedCurrencies = "mixed-currencies";
    public const string ReservationReleased = "reservation-released";
    public const string ReservationMismatch = "reservation-mismatch";

    /// <summary>Another attempt for the order is still working; retry (the answer carries Retry-After).</summary>
    public const string InProgress = "reservation-in-progress";

    /// <summary>Release after commit: the stock is sold.</summary>
    public const string Committed = "reservation-committed";

    /// <summary>Commit of a reservation that is not Reserved.</summary>
    public const string NotReserved = "reservation-not-reserved";

    /// <summary>The reasons that end an order as Rejected; nothing was reserved.</summary>
    public static IReadOnlySet<string> Business { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        InsufficientStock, UnknownProduct, MixedCurrencies, ReservationReleased, ReservationMismatch,
    };

    /// <summary>The problem member that carries the reason (and <c>productId</c> the product it concerns).</summary>
    public const string ProblemMember = "reason";
}
