
namespace Shop.IntegrationTests.Protection;

/// <summary>The rate-limit middleware and the per-email limit of the auth service, against real Redis.</summary>
public sealed class RateLimitTests
{
    private const string WrongPassword = "not the password at all";

    private static object AnyLogin() => new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = WrongPassword };

    [SkippableFact]
    public async Task Two_instances_share_one_login_limit_and_the_next_attempt_gets_429_with_retry_after_and_ratelimit_fields()
    {
        var environment = await AuthTestApp.NewEnvironmentAsync();
        var settings = RateLimitSettings.On(("Policies:auth-ip:PermitLimit", "4"));
        await using var first = await AuthTestApp.StartAsync(environment, settings);
        await using var second = await AuthTestApp.StartAsync(environment, settings);

        var answers = new List<TestResponse>();
        foreach (var app in new[] { first, second, first, second })
        {
            answers.Add(await app.LoginAsync(AnyLogin()));
        }

        var refused = await first.LoginAsync(AnyLogin());

        Assert.All(answers, a => Assert.Equal(401, a.Status));
        Assert.Equal(["\"auth-ip\";r=3;t=60", "\"auth-ip\";r=2;t=60", "\"auth-ip\";r=1;t=60", "\"auth-ip\";r=0;t=60"], answers.Select(a => a.Headers["RateLimit"]));
        Assert.Equal(429, refused.Status);
        Assert.StartsWith("application/problem+json", refused.ContentType, StringComparison.Ordinal);
        Assert.Equal("https://shop.example/problems/too-many-requests", refused.Document.GetProperty("type").GetString());
        Assert.Equal("auth-ip", refused.Document.GetProperty("policy").GetString());
        Assert.Equal("60", refused.Headers["Retry-After"]);
        Assert.Equal("\"auth-ip\";q=4;w=60", refused.Headers["RateLimit-Policy"]);
        Assert.Equal("\"auth-ip\";r=0;t=60", refused.Headers["RateLimit"]);
    }

    [SkippableFact]
    public async Task Another_address_still_gets_in_when_one_address_is_limited()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:auth-ip:PermitLimit", "1")));

        var first = await app.LoginAsync(AnyLogin(), clientAddress: "198.51.100.1");
        var again = await app.LoginAsync(AnyLogin(), clientAddress: "198.51.100.1");
        var elsewhere = await app.LoginAsync(AnyLogin(), clientAddress: "198.51.100.2");

        Assert.Equal([401, 429, 401], new[] { first.Status, again.Status, elsewhere.Status });
    }

    [SkippableFact]
    public async Task Logins_for_one_email_from_clients_that_failed_it_share_a_limit_across_addresses_and_spellings_and_the_owner_still_gets_in()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:auth-email:PermitLimit", "4")));
        var (_, email, _) = await app.NewUserAsync();
        var shouting = email.ToUpperInvariant();

        // A client's first failure against the account is free; its later tries spend the account's quota.
        var firstTries = new List<int>();
        var laterTries = new List<int>();
        foreach (var tries in new[] { firstTries, laterTries })
        {
            for (var i = 0; i < 3; i++)
            {
                tries.Add((await app.LoginAsync(new { email = i % 2 == 0 ? email : shouting, password = WrongPassword }, $"198.51.100.{10 + i}")).Status);
            }
        }

        var refused = await app.LoginAsync(new { email = shouting, password = "correct horse battery staple" }, "198.51.100.10");
        var owner = await app.LoginAsync(new { email, password = "correct horse battery staple" }, "198.51.100.99");

        // The sign-up of NewUserAsync used one of the four; its login came from a client that had not failed.
        Assert.Equal([401, 401, 401], firstTries);
        Assert.Equal([401, 401, 401], laterTries);
        Assert.Equal(429, refused.Status);
        Assert.Equal("auth-email", refused.Document.GetProperty("policy").GetString());
        Assert.Equal("\"auth-email\";q=4;w=60", refused.Headers["RateLimit-Policy"]);
        Assert.True(int.Parse(refused.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(200, owner.Status);
    }

    [SkippableFact]
    public async Task Sign_ups_for_one_email_share_the_email_limit()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:auth-email:PermitLimit", "1")));
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        var body = new { email, password = "correct horse battery staple", displayName = "Twice" };

        var created = await app.SignUpAsync(body);
        var again = await app.SignUpAsync(body);

        Assert.Equal(201, created.Status);
        Assert.Equal(429, again.Status);
    }

    [SkippableFact]
    public async Task With_redis_unreachable_limits_hold_in_memory_divided_by_the_assumed_instances_and_nothing_answers_500()
    {
        var servers = await Servers.RequireAsync();
        var environment = new AppEnvironment(servers with { Redis = "127.0.0.1:1" }, "shop_test_auth_" + Guid.NewGuid().ToString("N")[..12], "test:down:");
        await using var app = await AuthTestApp.StartAsync(environment, RateLimitSettings.On(("Policies:auth-ip:PermitLimit", "6"), ("AssumedInstances", "3")));

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await app.LoginAsync(AnyLogin())).Status);
        }

        var health = await app.Host.SendAsync("GET", "health");
        var metrics = await MetricsSnapshot.ScrapeAsync(app.Host.Services);

        Assert.Equal([401, 401, 429, 429], statuses);
        Assert.Equal(503, health.Status);
        // Four decisions of the middleware, and two of the service's per-email limit for the logins it let through.
        Assert.Equal(6, metrics.Value("shop_rate_limit_fallback_total"));
        Assert.Equal(2, metrics.Value("shop_rate_limit_rejections_total", ("policy", "auth-ip")));
    }

    [SkippableFact]
    public async Task Allowed_responses_carry_the_fields_of_every_policy_that_applied()
    {
        await using var products = await ProductTestApp.StartAsync(extraSettings: RateLimitSettings.On());
        var product = await products.CreateProductAsync();
        var headers = new Dictionary<string, string> { ["x-functions-key"] = "a-client-function-key" };

        var read = await products.Host.SendAsync(
            "GET", $"products/{product.Id}", bearer: TestTokens.Customer(), headers: headers);

        Assert.Equal(200, read.Status);
        Assert.Equal("\"user\";q=600;w=60, \"api-key\";q=6000;w=60", read.Headers["RateLimit-Policy"]);
        Assert.Equal("\"user\";r=599;t=1, \"api-key\";r=5999;t=1", read.Headers["RateLimit"]);
        Assert.False(read.Headers.ContainsKey("Retry-After"));
    }

    [SkippableFact]
    public async Task A_forged_token_naming_a_user_is_counted_against_its_address_not_against_that_user()
    {
        await using var products = await ProductTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:user:PermitLimit", "2")));
        var victim = Shop.Shared.Http.Ids.New();
        var realToken = TestTokens.Customer(victim);
        var forged = realToken[..^6] + (realToken[^6..] == "AAAAAA" ? "BBBBBB" : "AAAAAA");

        var attacker = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            attacker.Add((await products.Host.SendAsync(
                new RequestSpec("GET", "products", [], forged, new Dictionary<string, string>(), "192.0.2.66"))).Status);
        }

        var victimRead = await products.Host.SendAsync(
            new RequestSpec("GET", "products", [], realToken, new Dictionary<string, string>(), "192.0.2.7"));

        Assert.Equal([200, 200, 429], attacker);
        Assert.Equal(200, victimRead.Status);
        Assert.StartsWith("\"user\";r=1;t=30", victimRead.Headers["RateLimit"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Health_and_jwks_are_exempt_while_other_functions_are_limited()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:user:PermitLimit", "1"), ("Policies:api-key:PermitLimit", "1")));

        var exempt = new List<TestResponse>();
        for (var i = 0; i < 5; i++)
        {
            exempt.Add(await app.Host.SendAsync("GET", "health"));
            exempt.Add(await app.Host.SendAsync("GET", "auth/jwks"));
        }

        var me = await app.MeAsync(null);
        var meAgain = await app.MeAsync(null);

        Assert.All(exempt, r => Assert.Equal(200, r.Status));
        Assert.All(exempt, r => Assert.False(r.Headers.ContainsKey("RateLimit")));
        Assert.Equal(401, me.Status);
        Assert.Equal("\"user\";r=0;t=60, \"api-key\";r=0;t=60", me.Headers["RateLimit"]);
        Assert.Equal(429, meAgain.Status);
    }
}
