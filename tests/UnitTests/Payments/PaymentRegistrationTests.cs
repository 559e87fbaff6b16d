using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Orders;
using Shop.Orders.Payments;
using Shop.Shared.Hosting;

namespace Shop.UnitTests.Payments;

/// <summary>
/// The app's real registrations (AddShopServices + AddOrders, as the worker and the integration test host build them)
/// under a Production host environment: the start-up validation that the Functions worker runs, and the gateway the
/// functions get.
/// </summary>
public sealed class PaymentRegistrationTests
{
    private const string SecretKey = "sk_test_registration_0123456789";

    private readonly RecordingLoggerProvider _logs = new();

    private ServiceProvider Build(string environment, Dictionary<string, string?> payments)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1",
            ["Mongo:Database"] = "unit",
            ["Redis:Configuration"] = "127.0.0.1:1,abortConnect=false",
            ["Auth:Issuer"] = "shop-auth",
            ["Auth:Audience"] = "shop-api",
            ["Auth:JwksUrl"] = "http://auth.test/api/auth/jwks",
            ["Orders:ProductsBaseUrl"] = "http://products.test/api/",
            ["Metrics:Port"] = "0",
        };
        foreach (var (key, value) in payments)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        services.AddSingleton<IHostEnvironment>(new NamedEnvironment(environment));
        services.AddShopServices(configuration);
        services.AddOrders(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void Production_without_a_provider_refuses_to_start_with_one_log_line_naming_the_setting()
    {
        using var services = Build(Environments.Production, []);

        var atStart = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        var logged = _logs.Lines.Where(l => l.Level >= LogLevel.Error).ToList();
        var onUse = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IPaymentGateway>());

        Assert.Contains("Payments:Provider is not set", atStart.Message, StringComparison.Ordinal);
        Assert.Contains("Payments:Provider is not set", onUse.Message, StringComparison.Ordinal);
        var refusal = Assert.Single(logged);
        Assert.Equal(LogLevel.Critical, refusal.Level);
        Assert.StartsWith("Refusing to start (Production): Payments:Provider is not set", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_sandbox_when_AllowSandbox_is_an_empty_setting()
    {
        using var services = Build(Environments.Production, new() { ["Payments:Provider"] = "Sandbox", ["Payments:AllowSandbox"] = "" });

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Payments:AllowSandbox=true", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_treats_an_empty_provider_setting_as_missing()
    {
        using var services = Build(Environments.Production, new() { ["Payments:Provider"] = "", ["Payments:Stripe:SecretKey"] = "" });

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Payments:Provider is not set", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_starts_with_the_sandbox_only_when_it_is_allowed_explicitly()
    {
        using var services = Build(Environments.Production, new() { ["Payments:Provider"] = "Sandbox", ["Payments:AllowSandbox"] = "true" });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<SandboxPaymentGateway>(services.GetRequiredService<IPaymentGateway>());
    }

    [Fact]
    public void Production_starts_with_Stripe_and_never_logs_the_secret_key()
    {
        using var services = Build(Environments.Production, new() { ["Payments:Provider"] = "Stripe", ["Payments:Stripe:SecretKey"] = SecretKey });

        services.GetRequiredService<IStartupValidator>().Validate();
        var gateway = services.GetRequiredService<IPaymentGateway>();

        Assert.IsType<StripePaymentGateway>(gateway);
        Assert.Contains(_logs.Lines, l => l.Message == "Payment provider: Stripe");
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Outside_Production_the_sandbox_stays_the_default()
    {
        using var services = Build(Environments.Development, []);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<SandboxPaymentGateway>(services.GetRequiredService<IPaymentGateway>());
    }

    private sealed class NamedEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Shop.UnitTests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
