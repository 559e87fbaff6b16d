namespace Shop.Orders.Payments;

/// <summary>The provider the settings choose, or why the app must not start with them.</summary>
public sealed record PaymentProviderDecision(PaymentProvider Provider, string? Problem)
{
    public bool IsValid => Problem is null;
}
