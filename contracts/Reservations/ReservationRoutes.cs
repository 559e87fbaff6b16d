namespace Shop.Contracts.Reservations;

/// <summary>ProductFunctions' internal reservation routes, relative to <c>/api/</c>.</summary>
public static class ReservationRoutes
{
    public const string Reserve = "internal/reservations";

    public static string Release(string orderId) => $"{Reserve}/{Uri.EscapeDataString(orderId)}";

    public static string Commit(string orderId) => $"{Release(orderId)}/commit";
}
