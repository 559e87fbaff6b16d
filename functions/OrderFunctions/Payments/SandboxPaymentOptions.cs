namespace Shop.Orders.Payments;

/// <summary>Section <c>Payments</c>.</summary>
public sealed class SandboxPaymentOptions
{
    public const string Section = "Payments";

    /// <summary>How many times <c>tok_transient</c> fails (per idempotency key) before it is approved.</summary>
    public int TransientFailures { get; set; } = 2;
}
