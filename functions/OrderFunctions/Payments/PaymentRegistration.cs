using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Shop.Orders.Payments;

public static class PaymentRegistration
{
    private const string StripeHttpClientKey = "stripe";

    /// <summary>
    /// The payment provider <c>Payments:Provider</c> chooses (<see cref="PaymentProviderChoice"/>), validated at start:
    /// a Production app with no provider, or with the sandbox not explicitly allowed, does not start.
    /// </summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        var section = WithoutEmptyValues(configuration.GetSection(PaymentOptions.Section));
        services.AddOptions<PaymentOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PaymentOptions>, PaymentOptionsValidator>();
        services.AddOptions<SandboxPaymentOptions>().Bind(section);
        services.AddSingleton<PaymentMethodStore>();
        services.AddSingleton<StoredMethodAuthorizer>();
        services.AddSingleton<SandboxPaymentGateway>();
        services.AddSingleton<StripePaymentLedger>();
        services.AddSingleton<StripePaymentGateway>();
        services.AddKeyedSingleton(StripeHttpClientKey, (sp, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = sp.GetRequiredService<IOptions<PaymentOptions>>().Value.Stripe.RequestTimeout,
        });
        services.AddSingleton<IStripeClient>(sp =>
        {
            var stripe = sp.GetRequiredService<IOptions<PaymentOptions>>().Value.Stripe;
            // No retries inside Stripe.net: the activity retry policy retries a transient failure with durable timers
            // (surviving a restart, without holding a worker), and the idempotency keys make its repeats safe. Two
            // layers would multiply the attempts (3 x 6) and the time an activity blocks.
            var http = new SystemNetHttpClient(sp.GetRequiredKeyedService<HttpClient>(StripeHttpClientKey), maxNetworkRetries: 0, enableTelemetry: false);
            return new StripeClient(stripe.SecretKey, httpClient: http, apiBase: string.IsNullOrWhiteSpace(stripe.ApiBase) ? null : stripe.ApiBase.TrimEnd('/'));
        });
        services.TryAddSingleton<IPaymentGateway>(ChosenGateway);
        return services;
    }

    /// <summary>
    /// An empty payment setting means unset, whatever its source: <see cref="Shop.Shared.Hosting.EmptySettings"/> drops
    /// empty environment variables, this also covers the other sources (JSON, in-memory). The binder refuses "" for a
    /// bool or a TimeSpan, and the Production refusal must name the setting instead of failing on a conversion.
    /// </summary>
    private static IConfiguration WithoutEmptyValues(IConfigurationSection section) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(section.AsEnumerable(makePathsRelative: true).Where(setting => !string.IsNullOrEmpty(setting.Value)))
            .Build();

    private static IPaymentGateway ChosenGateway(IServiceProvider services)
    {
        // Reading the options runs the validator: an invalid choice throws OptionsValidationException here as well.
        var options = services.GetRequiredService<IOptions<PaymentOptions>>().Value;
        var provider = PaymentProviderChoice.Decide(options, services.GetRequiredService<IHostEnvironment>().IsProduction()).Provider;
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PaymentRegistration)).LogInformation("Payment provider: {Provider}", provider);
        return provider == PaymentProvider.Stripe
            ? services.GetRequiredService<StripePaymentGateway>()
            : services.GetRequiredService<SandboxPaymentGateway>();
    }
}
