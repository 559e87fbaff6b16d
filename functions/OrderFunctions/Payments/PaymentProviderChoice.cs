namespace Shop.Orders.Payments;

/// <summary>
/// Decides the payment provider from <see cref="PaymentOptions"/>. Production has no default, so a deployment that
/// forgot the setting cannot fall back to a gateway that confirms any order for <c>tok_approve</c>. Empty strings
/// count as unset: Core Tools and the Functions host export an empty setting as an empty environment variable.
/// </summary>
public static class PaymentProviderChoice
{
    public static PaymentProviderDecision Decide(PaymentOptions options, bool isProduction)
    {
        var provider = Parse(options.Provider);
        if (provider is null)
        {
            return string.IsNullOrWhiteSpace(options.Provider)
                ? (isProduction ? Refuse(MissingInProduction) : new PaymentProviderDecision(PaymentProvider.Sandbox, null))
                : Refuse($"Payments:Provider '{options.Provider}' is not a payment provider: use Stripe or Sandbox.");
        }

        if (provider == PaymentProvider.Sandbox)
        {
            return isProduction && !options.AllowSandbox ? Refuse(SandboxInProduction) : new PaymentProviderDecision(PaymentProvider.Sandbox, null);
        }

        if (string.IsNullOrWhiteSpace(options.Stripe.SecretKey))
        {
            return Refuse("Payments:Provider is Stripe but Payments:Stripe:SecretKey is not set.");
        }

        if (!string.IsNullOrWhiteSpace(options.Stripe.ApiBase)
            && !(Uri.TryCreate(options.Stripe.ApiBase, UriKind.Absolute, out var apiBase) && apiBase.Scheme is "https" or "http"))
        {
            return Refuse("Payments:Stripe:ApiBase must be an absolute http(s) URL.");
        }

        return options.Stripe.RequestTimeout > TimeSpan.Zero
            ? new PaymentProviderDecision(PaymentProvider.Stripe, null)
            : Refuse("Payments:Stripe:RequestTimeout must be positive.");
    }

    private const string MissingInProduction =
        "Payments:Provider is not set, and Production has no default payment provider: set Payments:Provider=Stripe " +
        "(with Payments:Stripe:SecretKey), or Payments:Provider=Sandbox with Payments:AllowSandbox=true for a deployment that must never take money.";

    private const string SandboxInProduction =
        "Payments:Provider is Sandbox, which confirms any order paid with tok_approve; Production refuses it unless Payments:AllowSandbox=true.";

    private static PaymentProvider? Parse(string? value) => value?.Trim() switch
    {
        { } v when v.Equals(nameof(PaymentProvider.Stripe), StringComparison.OrdinalIgnoreCase) => PaymentProvider.Stripe,
        { } v when v.Equals(nameof(PaymentProvider.Sandbox), StringComparison.OrdinalIgnoreCase) => PaymentProvider.Sandbox,
        _ => null,
    };

    private static PaymentProviderDecision Refuse(string problem) => new(PaymentProvider.Sandbox, problem);
}
