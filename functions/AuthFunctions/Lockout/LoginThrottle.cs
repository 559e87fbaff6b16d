using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Shared.Observability;
using Shop.Shared.Redis;
using StackExchange.Redis;

namespace Shop.Auth.Lockout;

/// <summary>
/// Brute-force protection shared by every instance through Redis: failed logins are counted per account and per
/// client address in a sliding window; past the threshold each further failure locks for twice as long as the last,
/// up to a maximum. While Redis is unreachable or frozen the throttle fails open (logged), so logins keep working; a
/// frozen Redis shows as a RedisTimeoutException, which is a TimeoutException and not a RedisException.
/// </summary>
public sealed class LoginThrottle(
    IConnectionMultiplexer redis,
    IOptions<RedisOptions> redisOptions,
    IOptions<AuthOptions> authOptions,
    ShopMetrics metrics,
    ILogger<LoginThrottle> logger)
{
    // KEYS[1] failure counter, KEYS[2] lock; ARGV: window s, threshold, first lock s, max lock s.
    private const string RecordFailureScript = """
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

    /// <summary>How long the caller must wait, or null when neither the account nor the address is locked.</summary>
    public async Task<TimeSpan?> LockedForAsync(string normalizedEmail, string clientAddress)
    {
        try
        {
            var database = redis.GetDatabase();
            var account = database.KeyTimeToLiveAsync(LockKey("acct", normalizedEmail));
            var client = database.KeyTimeToLiveAsync(LockKey("ip", clientAddress));
            var longest = new[] { await account, await client }.Max();
            return longest is { } ttl && ttl > TimeSpan.Zero ? ttl : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Login throttle unavailable, failing open: {Error}", exception.GetType().Name);
            return null;
        }
    }

    public async Task RecordFailureAsync(string normalizedEmail, string clientAddress)
    {
        var lockout = authOptions.Value.Lockout;
        try
        {
            var database = redis.GetDatabase();
            var accountLock = RecordAsync(database, "acct", normalizedEmail, lockout.FailuresPerAccount, lockout);
            var clientLock = RecordAsync(database, "ip", clientAddress, lockout.FailuresPerClient, lockout);
            var seconds = Math.Max(await accountLock, await clientLock);
            if (seconds > 0)
            {
                metrics.LoginLockedOut();
                logger.LogWarning("Login locked for {Seconds}s after repeated failures (account {AccountKey})", seconds, Fingerprint(normalizedEmail));
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Login throttle unavailable, failure not counted: {Error}", exception.GetType().Name);
        }
    }

    public async Task RecordSuccessAsync(string normalizedEmail)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync([FailureKey("acct", normalizedEmail), LockKey("acct", normalizedEmail)]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Login throttle unavailable, success not recorded: {Error}", exception.GetType().Name);
        }
    }

    private async Task<long> RecordAsync(IDatabase database, string scope, string subject, int threshold, LockoutOptions lockout)
    {
        var result = await database.ScriptEvaluateAsync(
            RecordFailureScript,
            [FailureKey(scope, subject), LockKey(scope, subject)],
            [
                Seconds(lockout.FailureWindow), threshold, Seconds(lockout.FirstLockout), Seconds(lockout.MaximumLockout),
            ]);
        return (long)result;
    }

    private static long Seconds(TimeSpan span) => Math.Max(1, (long)span.TotalSeconds);

    // The {hash tag} puts a subject's counter and lock in one Redis Cluster slot, so the script and the two-key
    // delete also work on a sharded Redis (no CROSSSLOT).
    private RedisKey FailureKey(string scope, string subject) => redisOptions.Value.Key($"auth:fail:{{{scope}:{Fingerprint(subject)}}}");

    private RedisKey LockKey(string scope, string subject) => redisOptions.Value.Key($"auth:lock:{{{scope}:{Fingerprint(subject)}}}");

    /// <summary>Emails never appear in Redis keys or logs in clear.</summary>
    private static string Fingerprint(string subject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..24].ToString(CultureInfo.InvariantCulture);
}
