using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Auth;
using Shop.Products;
using Shop.Shared.Hosting;
using Shop.Shared.RateLimiting;

namespace Shop.UnitTests.Shared;

public sealed class RateLimitPoliciesTests
{
    private static readonly DeclaredRateLimits DeclaredByTheApps = DeclaredRateLimits.In(
        typeof(Shop.Auth.AuthRegistration).Assembly, typeof(Shop.Products.ProductRegistration).Assembly, typeof(Shop.Orders.OrderRegistration).Assembly);

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("RateLimiting:" + s.Key, (string?)s.Value)))
            .Build();

    /// <summary>Through the options pipeline the apps use: the declared policies first, the settings bound over them.</summary>
    private static RateLimitPolicies FromSettings(params (string Key, string Value)[] settings)
    {
        using var services = new ServiceCollection().AddShopRateLimiting(Settings(settings)).AddSingleton(DeclaredByTheApps).BuildServiceProvider();
        return services.GetRequiredService<RateLimitPolicies>();
    }

    private static RateLimitingOptions WithTheAppsDefaults()
    {
        var options = new RateLimitingOptions();
        DeclaredByTheApps.ApplyDefaultsTo(options);
        return options;
    }

    private static string[] Names(IEnumerable<RateLimitPolicy> policies) => [.. policies.Select(p => p.Name)];

    [Theory]
    [InlineData("Login", new[] { "auth-ip" })]
    [InlineData("SignUp", new[] { "auth-ip" })]
    [InlineData("Reserve", new[] { "internal" })]
    [InlineData("CommitReservation", new[] { "internal" })]
    [InlineData("Health", new string[0])]
    [InlineData("Jwks", new string[0])]
    [InlineData("ApiDescription", new string[0])]
    [InlineData("GetProduct", new[] { "user", "api-key" })]
    [InlineData("PlaceOrder", new[] { "user", "api-key" })]
    public void By_default_auth_is_strict_internal_calls_are_separate_probes_are_exempt_and_the_rest_is_per_user_and_key(string function, string[] expected)
    {
        Assert.Equal(expected, Names(FromSettings().ForFunction(function)));
    }

    [Fact]
    public void Configuration_overrides_one_value_and_keeps_the_other_defaults()
    {
        var policies = FromSettings(("Policies:auth-ip:PermitLimit", "7"));

        var authIp = policies.Named("auth-ip")!;

        Assert.Equal(new RateLimitPolicy("auth-ip", 7, TimeSpan.FromMinutes(1), RateLimitAlgorithm.SlidingWindow, RateLimitPartitionBy.ClientAddress), authIp);
        Assert.Equal(600, policies.Named("user")!.PermitLimit);
    }

    [Fact]
    public void A_setting_replaces_one_value_of_a_policy_an_app_declares_and_keeps_its_other_defaults()
    {
        var configuration = Settings(("Policies:auth-email:Window", "00:00:30"), ("Policies:auth-ip:Algorithm", "TokenBucket"));
        // In the order of Program: the shared defaults (which bind the section), then the app's registration.
        var services = new ServiceCollection().AddShopRateLimiting(configuration);
        services.AddDeclaredRateLimits(typeof(AuthRegistration).Assembly);
        using var provider = services.BuildServiceProvider();

        var policies = provider.GetRequiredService<RateLimitPolicies>();

        Assert.Equal(new RateLimitPolicy(AuthRateLimits.PerEmail, 5, TimeSpan.FromSeconds(30), RateLimitAlgorithm.SlidingWindow, RateLimitPartitionBy.Email), policies.Named("auth-email"));
        Assert.Equal(new RateLimitPolicy(AuthRateLimits.PerClientAddress, 20, TimeSpan.FromMinutes(1), RateLimitAlgorithm.TokenBucket, RateLimitPartitionBy.ClientAddress), policies.Named("auth-ip"));
        Assert.Equal(600, policies.Named("user")!.PermitLimit);
    }

    [Fact]
    public void Each_app_declares_its_own_policies_and_shared_keeps_only_the_defaults_every_app_has()
    {
        Assert.Equal(["api-key", "user"], new RateLimitingOptions().Policies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([AuthRateLimits.PerEmail, AuthRateLimits.PerClientAddress], DeclaredRateLimits.In(typeof(AuthRegistration).Assembly).Policies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([ProductRateLimits.Internal], DeclaredRateLimits.In(typeof(ProductRegistration).Assembly).Policies.Keys);
        Assert.Empty(DeclaredRateLimits.In(typeof(Shop.Orders.OrderRegistration).Assembly).Policies);
    }

    [Fact]
    public void A_new_policy_can_be_mapped_to_several_functions_and_a_function_can_be_exempted()
    {
        var policies = FromSettings(
            ("Policies:orders:PermitLimit", "30"),
            ("Policies:orders:Window", "00:00:10"),
            ("Functions:PlaceOrder", "orders, user"),
            ("Functions:Login", "none"));

        Assert.Equal(["orders", "user"], Names(policies.ForFunction("PlaceOrder")));
        Assert.Equal(["orders", "user"], Names(policies.ForFunction("placeorder")));
        Assert.Empty(policies.ForFunction("Login"));
        Assert.Equal(TimeSpan.FromSeconds(10), policies.Named("orders")!.Window);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once()
    {
        var options = WithTheAppsDefaults();
        options.AssumedInstances = 0;
        options.DefaultPolicies = "api-key,typo";
        options.Functions["Login"] = "auth-ip,missing";
        options.Policies["broken"] = new RateLimitPolicyOptions { PermitLimit = 0, Window = TimeSpan.Zero };

        var failure = Assert.Throws<OptionsValidationException>(() => new RateLimitPolicies(options));

        Assert.Equal(5, failure.Failures.Count());
        Assert.Contains(failure.Failures, f => f.Contains("'typo'", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("'missing'", StringComparison.Ordinal));
        Assert.False(new RateLimitingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Per_caller_policies_come_before_the_bucket_a_key_shares_whatever_order_the_settings_name_them()
    {
        var policies = FromSettings(("DefaultPolicies", "api-key, user"), ("Functions:PlaceOrder", "api-key, auth-ip, user"));

        Assert.Equal(["user", "api-key"], Names(policies.ForFunction("GetProduct")));
        Assert.Equal(["auth-ip", "user", "api-key"], Names(policies.ForFunction("PlaceOrder")));
    }

    [Fact]
    public void A_consumer_is_found_by_the_hash_of_its_key_in_any_case_and_empty_entries_are_ignored()
    {
        var hash = new string('a', 64);
        var policies = FromSettings(
            ("Consumers:partner:KeySha256", hash.ToUpperInvariant()),
            ("Consumers:partner:PermitLimit", "20000"),
            ("Consumers:unset:KeySha256", ""));

        Assert.Equal(("partner", 20000), policies.ConsumerOf(hash));
        Assert.Null(policies.ConsumerOf(new string('b', 64)));
    }

    [Fact]
    public void Consumer_mistakes_are_refused_at_start()
    {
        var options = new RateLimitingOptions();
        options.Consumers["short"] = new ApiConsumerOptions { KeySha256 = "abc" };
        options.Consumers["negative"] = new ApiConsumerOptions { KeySha256 = new string('c', 64), PermitLimit = -1 };
        options.Consumers["twin"] = new ApiConsumerOptions { KeySha256 = new string('C', 64) };

        var errors = RateLimitPolicies.Validate(options);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("short", StringComparison.Ordinal) && e.Contains("SHA-256", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("negative", StringComparison.Ordinal) && e.Contains("PermitLimit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("negative and twin", StringComparison.Ordinal));
    }

    [Fact]
    public void A_function_declares_its_policies_beside_it_and_settings_still_replace_them()
    {
        var declared = DeclaredRateLimits.In(typeof(Shop.Auth.AuthRegistration).Assembly);

        Assert.Equal("auth-ip", declared.Functions["Login"]);
        Assert.Equal(RateLimitingOptions.NoPolicy, declared.Functions["Health"]);
        Assert.False(declared.Functions.ContainsKey("Reserve"));
        Assert.Equal(["user", "api-key"], Names(FromSettings(("Functions:Login", "user,api-key")).ForFunction("Login")));
    }

    [Fact]
    public void A_declared_policy_that_does_not_exist_stops_the_app_at_start()
    {
        var options = WithTheAppsDefaults();
        options.Policies.Remove("internal");

        var failure = Assert.Throws<OptionsValidationException>(() => new RateLimitPolicies(options, DeclaredByTheApps));

        Assert.Contains(failure.Failures, f => f.Contains("Reserve", StringComparison.Ordinal) && f.Contains("'internal'", StringComparison.Ordinal));
        Assert.DoesNotContain(failure.Failures, f => f.Contains("'auth-ip'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(600, 32, 2, 30)]
    [InlineData(6000, 32, 2, 32)]
    [InlineData(6000, 1, 2, 1)]
    [InlineData(100, 32, 2, 5)]
    [InlineData(20, 32, 2, 1)]
    [InlineData(3, 32, 1, 1)]
    public void A_lease_is_at_most_the_configured_size_and_a_tenth_of_each_instance_share_of_the_limit(int limit, int leaseSize, int instances, int expected)
    {
        var policies = new RateLimitPolicies(new RateLimitingOptions { LeaseSize = leaseSize, AssumedInstances = instances });

        Assert.Equal(expected, policies.LeaseCap(new RateLimitPolicy("p", limit, TimeSpan.FromMinutes(1), RateLimitAlgorithm.TokenBucket, RateLimitPartitionBy.User)));
    }
}
