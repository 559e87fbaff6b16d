namespace Shop.Auth;

/// <summary>Brute-force protection; see LoginThrottle for why the hard lockout is per account and client pair.</summary>
public sealed class LockoutOptions
{
    /// <summary>Failures of one client against one account before that pair is locked (doubling from FirstLockout).</summary>
    public int FailuresPerAccountAndClient { get; set; } = 5;

    /// <summary>Failures of one client across all accounts before that client is locked (doubling from FirstLockout).</summary>
    public int FailuresPerClient { get; set; } = 20;

    /// <summary>Failures against one account from all clients before each further failure slows its own client down.</summary>
    public int FailuresPerAccountBeforeSlowDown { get; set; } = 50;

    /// <summary>How long a client that fails against an account past FailuresPerAccountBeforeSlowDown must wait.</summary>
    public TimeSpan AccountSlowDown { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaximumLockout { get; set; } = TimeSpan.FromMinutes(15);
}
