namespace Shop.Orders.Payments;

public enum SandboxPaymentState
{
    Pending,

    /// <summary>Written before capture existed, for what is now <see cref="Authorized"/>; read as that, never written.</summary>
    Charged,
    Authorized,
    Declined,
    Captured,
    Cancelled,
    Refunded,
}
