using System.Globalization;

namespace Shop.IntegrationTests.Auth;

public sealed class LockoutTests
{
    private const string Password = "correct horse battery staple";
    private const string Attacker = "198.51.100.7";
    private const string Owner = "192.0.2.44";

    [SkippableFact]
    public async Task An_attackers_failures_from_one_client_lock_that_client_out_of_the_account_but_not_the_owner_on_another()
    {
        await using var app = await AuthTestApp.StartAsync();
        var (_, email, _) = await app.NewUserAsync(Password);

        var failures = new List<int>();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            failures.Add((await app.LoginAsync(new { email, password = "wrong password number " + attempt }, Attacker)).Status);
        }

        var attackerWithTheRightPassword = await app.LoginAsync(new { email, password = Password }, Attacker);
        var owner = await app.LoginAsync(new { email, password = Password }, Owner);

        Assert.Equal([401, 401, 401, 401, 401, 429, 429, 429], failures);
        Assert.Equal(429, attackerWithTheRightPassword.Status);
        Assert.True(int.Parse(attackerWithTheRightPassword.Headers["Retry-After"], CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(200, owner.Status);
    }

    [SkippableFact]
    public async Task Repeated_failures_lock_the_pair_on_every_instance_sharing_redis()
    {
        var environment = await AuthTestApp.NewEnvironmentAsync();
        await using var first = await AuthTestApp.StartAsync(environment);
        await using var second = await AuthTestApp.StartAsync(environment);
        var (_, email, _) = await first.NewUserAsync(Password);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var instance = attempt % 2 == 0 ? first : second;
            Assert.Equal(401, (await instance.LoginAsync(new { email, password = "wrong password number " + attempt }, Attacker)).Status);
        }

        var lockedOnSecond = await second.LoginAsync(new { email, password = Password }, Attacker);
        var lockedOnFirst = await first.LoginAsync(new { email, password = Password }, Attacker);
        var ownerOnSecond = await second.LoginAsync(new { email, password = Password }, Owner);

        Assert.Equal(429, lockedOnSecond.Status);
        Assert.Equal(429, lockedOnFirst.Status);
        Assert.True(int.Parse(lockedOnSecond.Headers["Retry-After"], CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(200, ownerOnSecond.Status);
    }

    [SkippableFact]
    public async Task Failures_from_one_address_across_many_accounts_lock_that_address_only()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:FailuresPerClient"] = "6",
        });
        var (_, victimEmail, _) = await app.NewUserAsync(Password);

        var spray = new List<int>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            spray.Add((await app.LoginAsync(new { email = $"spray-{attempt}-{Guid.NewGuid():N}@example.com", password = "guess guess guess" }, Attacker)).Status);
        }

        var fromAttacker = await app.LoginAsync(new { email = victimEmail, password = Password }, Attacker);
        var fromVictim = await app.LoginAsync(new { email = victimEmail, password = Password }, Owner);

        // No account saw more than one failure, so only the per-address lock can refuse the attacker.
        Assert.Equal([401, 401, 401, 401, 401, 401], spray);
        Assert.Equal(429, fromAttacker.Status);
        Assert.Equal(200, fromVictim.Status);
    }

    [SkippableFact]
    public async Task The_pair_lockout_grows_with_each_further_failure_and_leaves_other_clients_alone()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:FailuresPerAccountAndClient"] = "2",
            ["Auth:Lockout:FirstLockout"] = "00:00:10",
        });
        var throttle = app.Host.Get<Shop.Auth.Lockout.LoginThrottle>();
        var email = $"grow-{Guid.NewGuid():N}@example.com";

        await throttle.RecordFailureAsync(email, Attacker);
        var afterOne = await throttle.CheckAsync(email, Attacker);
        await throttle.RecordFailureAsync(email, Attacker);
        var firstLock = await throttle.CheckAsync(email, Attacker);
        await throttle.RecordFailureAsync(email, Attacker);
        var secondLock = await throttle.CheckAsync(email, Attacker);
        var otherClient = await throttle.CheckAsync(email, Owner);

        Assert.Null(afterOne.LockedFor);
        Assert.NotNull(firstLock.LockedFor);
        Assert.NotNull(secondLock.LockedFor);
        Assert.InRange(firstLock.LockedFor.Value.TotalSeconds, 5, 10);
        Assert.InRange(secondLock.LockedFor.Value.TotalSeconds, 15, 20);
        Assert.Null(otherClient.LockedFor);
    }

    [SkippableFact]
    public async Task Past_the_account_threshold_every_failing_client_is_slowed_down_even_on_its_first_failure_but_the_owner_is_not()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:FailuresPerAccountBeforeSlowDown"] = "3",
            ["Auth:Lockout:AccountSlowDown"] = "00:00:20",
        });
        var (_, email, _) = await app.NewUserAsync(Password);

        // A distributed attacker: each address fails once, far below the per-pair and per-address thresholds.
        var firstFailures = new List<int>();
        for (var bot = 1; bot <= 4; bot++)
        {
            firstFailures.Add((await app.LoginAsync(new { email, password = "distributed guess" }, $"198.51.100.{bot}")).Status);
        }

        var retries = new List<int>();
        for (var bot = 1; bot <= 4; bot++)
        {
            retries.Add((await app.LoginAsync(new { email, password = "distributed guess again" }, $"198.51.100.{bot}")).Status);
        }

        var thirdTries = new List<int>();
        for (var bot = 1; bot <= 4; bot++)
        {
            thirdTries.Add((await app.LoginAsync(new { email, password = Password }, $"198.51.100.{bot}")).Status);
        }

        var owner = await app.LoginAsync(new { email, password = Password }, Owner);

        Assert.Equal([401, 401, 401, 401], firstFailures);
        // Bots 1 and 2 failed before the account reached 3 failures; 3 and 4 failed after, and wait.
        Assert.Equal([401, 401, 429, 429], retries);
        Assert.Equal([429, 429, 429, 429], thirdTries);
        Assert.Equal(200, owner.Status);
    }

    [SkippableFact]
    public async Task A_correct_password_clears_the_failures_of_that_pair()
    {
        await using var app = await AuthTestApp.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["Auth:Lockout:FailuresPerAccountAndClient"] = "3",
        });
        var (_, email, _) = await app.NewUserAsync(Password);

        var statuses = new List<int>();
        foreach (var password in new[] { "typo one here", "typo two here", Password, "typo three here", "typo four here", Password })
        {
            statuses.Add((await app.LoginAsync(new { email, password }, Owner)).Status);
        }

        Assert.Equal([401, 401, 200, 401, 401, 200], statuses);
    }
}
