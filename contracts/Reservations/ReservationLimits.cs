namespace Shop.Contracts.Reservations;

/// <summary>The largest reservation ProductFunctions accepts; OrderFunctions refuses bigger orders up front.</summary>
public static class ReservationLimits
{
    public const int MaximumItems = 50;
    public const int MaximumQuantity = 1000;
}
