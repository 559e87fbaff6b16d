namespace Shop.Auth.Lockout;

/// <summary>What the login throttle says about one client trying one account.</summary>
/// <param name="LockedFor">How long the client must wait, or null when it may try now.</param>
/// <param name="AccountQuotaApplies">
/// True when this client has failed against this account (or the throttle cannot tell): only then does the login spend
/// the per-account quota, so an attacker draining it never refuses the owner on a client that has not failed.
/// </param>
public sealed record ThrottleState(TimeSpan? LockedFor, bool AccountQuotaApplies)
{
    /// <summary>Redis unreachable: no lock is known (fail open), and the quota, which has its own fallback, applies.</summary>
    public static readonly ThrottleState Unknown = new(null, AccountQuotaApplies: true);
}
