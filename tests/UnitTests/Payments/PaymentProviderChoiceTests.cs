using Shop.Orders.Payments;

namespace Shop.UnitTests.Payments;

/// <summary>Every branch of the provider decision: Production has no default and refuses the sandbox unless allowed.</summary>
public sealed class PaymentProviderChoiceTests
{
    private static PaymentOptions Options(string? provider, bool allowSandbox = false, string? secretKey = null, string? apiBase = null) => new()
    {
        Provider = provider,
        AllowSandbox = allowSandbox,
        Stripe = new StripeOptions { SecretKey = secretKey, ApiBase = apiBase },
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Production_without_a_provider_refuses_and_names_the_setting(string? provider)
    {
        var decision = PaymentProviderChoice.Decide(Options(provider), isProduction: true);

        Assert.False(decision.IsValid);
        Assert.StartsWith("Payments:Provider is not set", decision.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Outside_Production_no_provider_means_the_sandbox(string? provider)
    {
        var decision = PaymentProviderChoice.Decide(Options(provider), isProduction: false);

        Assert.Equal(new PaymentProviderDecision(PaymentProvider.Sandbox, null), decision);
    }

    [Theory]
    [InlineData("Sandbox")]
    [InlineData("sandbox")]
    public void Production_refuses_the_sandbox_unless_it_is_allowed(string provider)
    {
        var refused = PaymentProviderChoice.Decide(Options(provider), isProduction: true);
        var allowed = PaymentProviderChoice.Decide(Options(provider, allowSandbox: true), isProduction: true);

        Assert.Contains("Payments:AllowSandbox=true", refused.Problem, StringComparison.Ordinal);
        Assert.Equal(new PaymentProviderDecision(PaymentProvider.Sandbox, null), allowed);
    }

    [Fact]
    public void Outside_Production_the_sandbox_needs_no_permission()
    {
        Assert.Equal(new PaymentProviderDecision(PaymentProvider.Sandbox, null), PaymentProviderChoice.Decide(Options("Sandbox"), isProduction: false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Stripe_with_a_secret_key_is_chosen_in_any_environment(bool isProduction)
    {
        var decision = PaymentProviderChoice.Decide(Options(" Stripe ", secretKey: "sk_test_123"), isProduction);

        Assert.Equal(new PaymentProviderDecision(PaymentProvider.Stripe, null), decision);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Stripe_without_a_secret_key_refuses_and_names_the_setting(string? secretKey)
    {
        var decision = PaymentProviderChoice.Decide(Options("Stripe", secretKey: secretKey), isProduction: false);

        Assert.Equal("Payments:Provider is Stripe but Payments:Stripe:SecretKey is not set.", decision.Problem);
    }

    [Theory]
    [InlineData("api.stripe.com")]
    [InlineData("ftp://127.0.0.1/")]
    public void Stripe_with_an_api_base_that_is_not_an_http_url_refuses(string apiBase)
    {
        var decision = PaymentProviderChoice.Decide(Options("Stripe", secretKey: "sk_test_123", apiBase: apiBase), isProduction: false);

        Assert.Equal("Payments:Stripe:ApiBase must be an absolute http(s) URL.", decision.Problem);
    }

    [Fact]
    public void A_stripe_request_timeout_that_is_not_positive_refuses()
    {
        var options = Options("Stripe", secretKey: "sk_test_123");
        options.Stripe.RequestTimeout = TimeSpan.Zero;

        Assert.Equal("Payments:Stripe:RequestTimeout must be positive.", PaymentProviderChoice.Decide(options, isProduction: false).Problem);
    }

    [Theory]
    [InlineData("Paypal", true)]
    [InlineData("1", false)]
    public void An_unknown_provider_refuses_in_any_environment(string provider, bool isProduction)
    {
        var decision = PaymentProviderChoice.Decide(Options(provider, allowSandbox: true), isProduction);

        Assert.Equal($"Payments:Provider '{provider}' is not a payment provider: use Stripe or Sandbox.", decision.Problem);
    }
}
