using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Protection;

/// <summary>
/// Who the client is, as the worker sees requests under the real Functions host (FunctionsHostRequest): behind our
/// proxy by X-Real-IP, otherwise by the peer address, never by what a client claims. Rate limits on, at their defaults.
/// </summary>
public sealed class ClientIdentityTests(ITestOutputHelper output)
{
    private const string WrongPassword = "not the password at all";

    [SkippableFact]
    public async Task Twenty_five_clients_failing_behind_one_proxy_leave_a_twenty_sixth_client_every_login()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On());
        var (_, email, _) = await app.NewUserAsync(clientAddress: "198.51.100.200");

        var failures = new List<int>();
        for (var client = 1; client <= 25; client++)
        {
            var stranger = new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = WrongPassword };
            failures.Add((await app.LoginAsync(stranger, $"198.51.100.{client}")).Status);
        }

        var logins = new List<int>();
        // Three: the sign-up and first login of NewUserAsync spent two of the email's five a minute.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            logins.Add((await app.LoginAsync(new { email, password = AuthTestApp.DefaultPassword }, "198.51.100.26")).Status);
        }

        output.WriteLine($"25 clients behind one proxy failed a login each; the 26th client's correct logins: {logins.Count(s => s == 200)} of {logins.Count} succeeded");
        Assert.All(failures, status => Assert.Equal(401, status));
        Assert.All(logins, status => Assert.Equal(200, status));
    }

    [SkippableFact]
    public async Task A_client_reaching_the_host_directly_cannot_choose_its_address_with_x_real_ip()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:auth-ip:PermitLimit", "3")));

        var statuses = new List<int>();
        for (var i = 1; i <= 4; i++)
        {
            var spoofed = new Dictionary<string, string> { ["X-Real-IP"] = $"203.0.113.{i}", ["X-Forwarded-For"] = $"192.0.2.{i}" };
            statuses.Add((await app.LoginAsync(new RequestSpec("POST", "auth/login", AnyLogin(), null, spoofed, "198.51.100.77", ThroughProxy: false))).Status);
        }

        Assert.Equal([401, 401, 401, 429], statuses);
    }

    [SkippableFact]
    public async Task What_a_client_sends_as_x_real_ip_through_our_proxy_is_overwritten_by_the_proxy()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: RateLimitSettings.On(("Policies:auth-ip:PermitLimit", "2")));

        var statuses = new List<int>();
        for (var i = 1; i <= 3; i++)
        {
            var spoofed = new Dictionary<string, string> { ["X-Real-IP"] = $"203.0.113.{i}" };
            statuses.Add((await app.LoginAsync(new RequestSpec("POST", "auth/login", AnyLogin(), null, spoofed, "198.51.100.78"))).Status);
        }

        var anotherClient = await app.LoginAsync(new RequestSpec("POST", "auth/login", AnyLogin(), null, new Dictionary<string, string>(), "198.51.100.79"));

        Assert.Equal([401, 401, 429], statuses);
        Assert.Equal(401, anotherClient.Status);
    }

    [SkippableFact]
    public async Task The_client_address_is_in_the_scope_of_every_log_line_of_its_request()
    {
        var logs = new RecordingLoggerProvider();
        await using var app = await AuthTestApp.StartAsync(overrides: services => services.AddLogging(logging => logging
            .AddProvider(logs)
            .AddFilter<RecordingLoggerProvider>(null, LogLevel.Information)));

        await app.LoginAsync(new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = WrongPassword }, "198.51.100.91");

        var failed = Assert.Single(logs.Lines, line => line.Message.StartsWith("Failed login", StringComparison.Ordinal));
        Assert.Equal("198.51.100.91", failed.Scope["ClientAddress"]);
        Assert.Contains("198.51.100.91", failed.Message, StringComparison.Ordinal);
    }

    private static byte[] AnyLogin() => AuthTestApp.LoginBody($"nobody-{Guid.NewGuid():N}@example.com", WrongPassword);
}
