namespace Shop.Orders.Payments;

public enum PaymentProvider
{
    Sandbox,
    Stripe,
}
