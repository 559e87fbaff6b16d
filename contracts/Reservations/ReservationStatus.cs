namespace Shop.Contracts.Reservations;

public enum ReservationStatus
{
    Pending,
    Reserved,
    Rejected,
    Released,
    Committed,
}
