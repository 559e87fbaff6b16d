namespace Shop.IntegrationTests.Auth;

public sealed class LockoutTests
{
    private const string Password = "correct horse battery staple";

    [SkippableFact]
    public async Task Repeated_failures_lock_the_account_on_every_instance_sharing_redis()
    {
        var environment = await AuthTestApp.NewEnvironmentAsync();
        await using var first = await AuthTestApp.StartAsync(environment);
        await using var second = await AuthTestApp.StartAsync(environment);
        var (_, email, _) = await first.NewUserAsync(Password);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var instance = attempt % 2 == 0 ? first : second;
            Assert.Equal(401, (await instance.LoginAsync(new { email, password = "wrong password number " + attempt })).Status);
        }

        var lockedOnSecond = await second.LoginAsync(new { email, password = Password });
        var lockedOnFirst = await first.LoginAsync(new { email, password = Password });

        Assert.Equal(429, lockedOnSecond.Status);
        Assert.Equal(429, lockedOnFirst.Status);
        Assert.True(int.Parse(lockedOnSecond.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [SkippableFact]
    public async Task Failures_from_one_address_across_many_accounts_lock_that_address_only()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:FailuresPerClient"] = "6",
        });
        var (_, victimEmail, _) = await app.NewUserAsync(Password);

        for (var attempt = 0; attempt < 6; attempt++)
        {
            await app.LoginAsync(new { email = $"spray-{attempt}@example.com", password = "guess guess guess" }, clientAddress: "198.51.100.7");
        }

        var fromAttacker = await app.LoginAsync(new { email = victimEmail, password = Password }, clientAddress: "198.51.100.7");
        var fromVictim = await app.LoginAsync(new { email = victimEmail, password = Password }, clientAddress: "192.0.2.44");

        Assert.Equal(429, fromAttacker.Status);
        Assert.Equal(200, fromVictim.Status);
    }

    [SkippableFact]
    public async Task The_lockout_grows_with_each_further_failure()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:FailuresPerAccount"] = "2",
            ["Auth:Lockout:FirstLockout"] = "00:00:10",
        });
        var throttle = app.Host.Get<Shop.Auth.Lockout.LoginThrottle>();
        var email = $"grow-{Guid.NewGuid():N}@example.com";

        await throttle.RecordFailureAsync(email, "192.0.2.1");
        await throttle.RecordFailureAsync(email, "192.0.2.2");
        var firstLock = await throttle.LockedForAsync(email, "192.0.2.3");
        await throttle.RecordFailureAsync(email, "192.0.2.4");
        var secondLock = await throttle.LockedForAsync(email, "192.0.2.3");

        Assert.NotNull(firstLock);
        Assert.NotNull(secondLock);
        Assert.InRange(firstLock.Value.TotalSeconds, 5, 10);
        Assert.InRange(secondLock.Value.TotalSeconds, 15, 20);
    }
}
