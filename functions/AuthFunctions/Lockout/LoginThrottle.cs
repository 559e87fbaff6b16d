using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Shared.Redis;
using StackExchange.Redis;

namespace Shop.Auth.Lockout;

/// <summary>
/// Brute-force protection shared by every instance through Redis, shaped after OWASP's Authentication cheat sheet so
/// that nobody can lock an account they do not hold:
/// <list type="bullet">
/// <item>the hard lockout is per (account, client address) pair: past <c>FailuresPerAccountAndClient</c> failures in the
/// window each further failure locks that client out of that account for twice as long as the last, up to a maximum;
/// a correct password from that client clears the pair;</item>
/// <item>the lockout per client address across all accounts stays (password spraying from one address);</item>
/// <item>per account alone there is only a slow-down, and only for clients that have failed against the account:
/// once the account has <c>FailuresPerAccountBeforeSlowDown</c> failures in the window (from any clients), every
/// further failure locks its own pair for <c>AccountSlowDown</c>, even a client's first. The owner on a client that has
/// not failed is never refused, so an attacker cannot aim it; the price is that every fresh address of a distributed
/// attacker gets one guess per account before it is slowed (bounded by the per-address limits, and its repeats spend
/// the per-account login quota that <see cref="ThrottleState.AccountQuotaApplies"/> reports).</item>
/// </list>
/// While Redis is unreachable or frozen the throttle fails open (logged), so logins keep working; a frozen Redis shows
/// as a RedisTimeoutException, which is a TimeoutException and not a RedisException.
/// </summary>
public sealed class LoginThrottle(
    IConnectionMultiplexer redis,
    IOptions<RedisOptions> redisOptions,
    IOptions<AuthOptions> authOptions,
    AuthMetrics metrics,
    ILogger<LoginThrottle> logger)
{
    // KEYS[1] pair counter, KEYS[2] pair lock, KEYS[3] account counter.
    // ARGV: window s, pair threshold, first lock s, max lock s, account slow-down threshold, slow-down s.
    private const string RecordAccountFailureScript = """
        local window = tonumber(ARGV[1])
        local pairCount = redis.call('INCR', KEYS[1])
        if pairCount == 1 then redis.call('EXPIRE', KEYS[1], window) end
        local accountCount = redis.call('INCR', KEYS[3])
        if accountCount == 1 then redis.call('EXPIRE', KEYS[3], window) end
        local lock = 0
        local threshold = tonumber(ARGV[2])
        if pairCount >= threshold then
          lock = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * (2 ^ (pairCount - threshold)))
        end
        if accountCount >= tonumber(ARGV[5]) then lock = math.max(lock, tonumber(ARGV[6])) end
        lock = math.floor(lock)
        if lock > 0 then
          redis.call('SET', KEYS[2], pairCount, 'EX', lock)
          redis.call('EXPIRE', KEYS[1], math.max(window, lock * 2))
        end
        return lock
        """;

    // KEYS[1] client counter, KEYS[2] client lock; ARGV: window s, threshold, first lock s, max lock s.
    private const string RecordClientFailureScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
        local threshold = tonumber(ARGV[2])
        if count >= threshold then
          local lock = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * (2 ^ (count - threshold)))
          redis.call('SET', KEYS[2], count, 'EX', math.floor(lock))
          redis.call('EXPIRE', KEYS[1], math.max(tonumber(ARGV[1]), math.floor(lock) * 2))
          return math.floor(lock)
        end
        return 0
        """;

    /// <summary>Whether this client may try a password for this account now, and whether the account quota applies.</summary>
    public async Task<ThrottleState> CheckAsync(string normalizedEmail, string clientAddress)
    {
        try
        {
            var database = redis.GetDatabase();
            var pairLock = database.KeyTimeToLiveAsync(PairLockKey(normalizedEmail, clientAddress));
            var clientLock = database.KeyTimeToLiveAsync(ClientLockKey(clientAddress));
            var pairHasFailed = database.KeyExistsAsync(PairFailureKey(normalizedEmail, clientAddress));
            var longest = new[] { await pairLock, await clientLock }.Max();
            var lockedFor = longest is { } ttl && ttl > TimeSpan.Zero ? ttl : (TimeSpan?)null;
            return new ThrottleState(lockedFor, AccountQuotaApplies: await pairHasFailed);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Login throttle unavailable, failing open: {Error}", exception.GetType().Name);
            return ThrottleState.Unknown;
        }
    }

    public async Task RecordFailureAsync(string normalizedEmail, string clientAddress)
    {
        var lockout = authOptions.Value.Lockout;
        try
        {
            var database = redis.GetDatabase();
            var pairLock = database.ScriptEvaluateAsync(
                RecordAccountFailureScript,
                [PairFailureKey(normalizedEmail, clientAddress), PairLockKey(normalizedEmail, clientAddress), AccountFailureKey(normalizedEmail)],
                [
                    Seconds(lockout.FailureWindow), lockout.FailuresPerAccountAndClient, Seconds(lockout.FirstLockout),
                    Seconds(lockout.MaximumLockout), lockout.FailuresPerAccountBeforeSlowDown, Seconds(lockout.AccountSlowDown),
                ]);
            var clientLock = database.ScriptEvaluateAsync(
                RecordClientFailureScript,
                [ClientFailureKey(clientAddress), ClientLockKey(clientAddress)],
                [Seconds(lockout.FailureWindow), lockout.FailuresPerClient, Seconds(lockout.FirstLockout), Seconds(lockout.MaximumLockout)]);
            var seconds = Math.Max((long)await pairLock, (long)await clientLock);
            if (seconds > 0)
            {
                metrics.LoginLockedOut();
                logger.LogWarning(
                    "Login locked for {Seconds}s after repeated failures (account {AccountKey}, client {ClientAddress})",
                    seconds, Fingerprint(normalizedEmail), clientAddress);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Login throttle unavailable, failure not counted: {Error}", exception.GetType().Name);
        }
    }

    /// <summary>
    /// Clears only this pair. The account counter stays, or the owner logging in would lift the slow-down for an
    /// attacker; the client counter stays, or an attacker could reset it by logging in to an account of their own.
    /// </summary>
    public async Task RecordSuccessAsync(string normalizedEmail, string clientAddress)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync([PairFailureKey(normalizedEmail, clientAddress), PairLockKey(normalizedEmail, clientAddress)]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Login throttle unavailable, success not recorded: {Error}", exception.GetType().Name);
        }
    }

    private static long Seconds(TimeSpan span) => Math.Max(1, (long)span.TotalSeconds);

    // The {hash tag} puts every key of one account (its counter and each pair's counter and lock) in one Redis Cluster
    // slot, and a client's counter and lock in another, so each script and delete also works on a sharded Redis.
    private RedisKey AccountFailureKey(string email) => Key($"auth:fail:{{acct:{Fingerprint(email)}}}");

    private RedisKey PairFailureKey(string email, string client) => Key($"auth:fail:{{acct:{Fingerprint(email)}}}:ip:{Fingerprint(client)}");

    private RedisKey PairLockKey(string email, string client) => Key($"auth:lock:{{acct:{Fingerprint(email)}}}:ip:{Fingerprint(client)}");

    private RedisKey ClientFailureKey(string client) => Key($"auth:fail:{{ip:{Fingerprint(client)}}}");

    private RedisKey ClientLockKey(string client) => Key($"auth:lock:{{ip:{Fingerprint(client)}}}");

    private RedisKey Key(string suffix) => redisOptions.Value.Key(suffix);

    /// <summary>Emails never appear in Redis keys or logs in clear.</summary>
    private static string Fingerprint(string subject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..24].ToString(CultureInfo.InvariantCulture);
}
