namespace Shop.Contracts.Reservations;

/// <summary>ProductFunctions' internal reservation routes, relative to <c>/api/</c>: the templates its functions declare
/// and the paths OrderFunctions calls.</summary>
public static class ReservationRoutes
{
    public const string Reserve = "internal/reservations";
    public const string ReleaseTemplate = Reserve + "/{orderId}";
    public const string CommitTemplate = ReleaseTemplate + "/commit";

    public static string Release(string orderId) => ReleaseTemplate.Replace("{orderId}", Uri.EscapeDataString(orderId), StringComparison.Ordinal);

    public static string Commit(string orderId) => CommitTemplate.Replace("{orderId}", Uri.EscapeDataString(orderId), StringComparison.Ordinal);
}
