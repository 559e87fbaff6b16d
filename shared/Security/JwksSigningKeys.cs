using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Security;

/// <summary>
/// Public keys fetched from AuthFunctions' JWKS endpoint and cached for JwksRefreshInterval. A token naming an unknown
/// kid refetches at once (a key may just have been rotated in), so a new key is accepted on its first token, with two
/// bounds against kid-spraying: all fetches together happen at most once per JwksMinimumRefetchInterval, and a kid that
/// a fetch showed absent does not trigger another fetch for JwksMissingKidRetryInterval.
/// </summary>
public sealed class JwksSigningKeys(
    IHttpClientFactory httpClientFactory,
    IOptions<AccessTokenOptions> options,
    TimeProvider timeProvider,
    ILogger<JwksSigningKeys> logger) : ISigningKeySource, IDisposable
{
    public const string HttpClientName = "jwks";

    /// <summary>Past this many remembered absent kids the memory is dropped: the global interval still bounds fetches.</summary>
    public const int MaximumRememberedMissingKids = 10_000;

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missingKidsSeenAt = new(StringComparer.Ordinal);
    private volatile KeySet _keySet = KeySet.Empty;

    public async ValueTask<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var keySet = _keySet;
        var now = timeProvider.GetUtcNow();
        var fresh = now - keySet.FetchedAt < settings.JwksRefreshInterval;
        var known = keySet.Keys.TryGetValue(kid, out var key);
        if (known && fresh)
        {
            return key;
        }

        if (!known && fresh && !MayFetchFor(kid, keySet, now, settings))
        {
            return null;
        }

        await RefreshAsync(settings, cancellationToken);
        if (_keySet.Keys.TryGetValue(kid, out key))
        {
            _missingKidsSeenAt.TryRemove(kid, out _);
            return key;
        }

        RememberMissing(kid);
        return null;
    }

    public void Dispose() => _refreshLock.Dispose();

    private bool MayFetchFor(string kid, KeySet keySet, DateTimeOffset now, AccessTokenOptions settings) =>
        now - keySet.FetchedAt >= settings.JwksMinimumRefetchInterval
        && !(_missingKidsSeenAt.TryGetValue(kid, out var seenAt) && now - seenAt < settings.JwksMissingKidRetryInterval);

    private void RememberMissing(string kid)
    {
        if (_missingKidsSeenAt.Count >= MaximumRememberedMissingKids)
        {
            _missingKidsSeenAt.Clear();
        }

        _missingKidsSeenAt[kid] = _keySet.FetchedAt;
    }

    private async Task RefreshAsync(AccessTokenOptions settings, CancellationToken cancellationToken)
    {
        if (settings.JwksUrl is null)
        {
            return;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Whoever waited here behind a fetch uses its result instead of fetching again.
            if (timeProvider.GetUtcNow() - _keySet.FetchedAt < settings.JwksMinimumRefetchInterval)
            {
                return;
            }

            using var httpClient = httpClientFactory.CreateClient(HttpClientName);
            var json = await httpClient.GetStringAsync(settings.JwksUrl, cancellationToken);
            var keys = new JsonWebKeySet(json).Keys
                .Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA && !string.IsNullOrEmpty(k.Kid))
                .ToDictionary(k => k.Kid, k => (SecurityKey)k, StringComparer.Ordinal);
            _keySet = new KeySet(keys, timeProvider.GetUtcNow());
            logger.LogInformation("Fetched {KeyCount} signing keys from the JWKS endpoint", keys.Count);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            _keySet = _keySet with { FetchedAt = timeProvider.GetUtcNow() };
            logger.LogWarning(exception, "Could not refresh signing keys from the JWKS endpoint; keeping {KeyCount} known keys", _keySet.Keys.Count);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>One immutable snapshot, so a reader never sees the keys of one fetch with the time of another.</summary>
    private sealed record KeySet(IReadOnlyDictionary<string, SecurityKey> Keys, DateTimeOffset FetchedAt)
    {
        public static readonly KeySet Empty = new(new Dictionary<string, SecurityKey>(StringComparer.Ordinal), DateTimeOffset.MinValue);
    }
}
