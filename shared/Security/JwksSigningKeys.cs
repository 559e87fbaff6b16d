using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Shared.Security;

/// <summary>
/// Public keys fetched from AuthFunctions' JWKS endpoint and cached. An unknown kid triggers one refetch (a key may
/// just have been rotated in), but no more often than the configured minimum interval.
/// </summary>
public sealed class JwksSigningKeys(
    IHttpClientFactory httpClientFactory,
    IOptions<AccessTokenOptions> options,
    TimeProvider timeProvider,
    ILogger<JwksSigningKeys> logger) : ISigningKeySource, IDisposable
{
    public const string HttpClientName = "jwks";

    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private Dictionary<string, SecurityKey> _keys = new(StringComparer.Ordinal);
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public async ValueTask<SecurityKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var age = timeProvider.GetUtcNow() - _fetchedAt;
        if (_keys.TryGetValue(kid, out var key) && age < settings.JwksRefreshInterval)
        {
            return key;
        }

        if (age >= settings.JwksMinimumRefetchInterval)
        {
            await RefreshAsync(settings, cancellationToken);
        }

        return _keys.GetValueOrDefault(kid);
    }

    public void Dispose() => _refreshLock.Dispose();

    private async Task RefreshAsync(AccessTokenOptions settings, CancellationToken cancellationToken)
    {
        if (settings.JwksUrl is null)
        {
            return;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            if (timeProvider.GetUtcNow() - _fetchedAt < settings.JwksMinimumRefetchInterval)
            {
                return;
            }

            using var httpClient = httpClientFactory.CreateClient(HttpClientName);
            var json = await httpClient.GetStringAsync(settings.JwksUrl, cancellationToken);
            var set = new JsonWebKeySet(json);
            _keys = set.Keys
                .Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.RSA && !string.IsNullOrEmpty(k.Kid))
                .ToDictionary(k => k.Kid, k => (SecurityKey)k, StringComparer.Ordinal);
            _fetchedAt = timeProvider.GetUtcNow();
            logger.LogInformation("Fetched {KeyCount} signing keys from the JWKS endpoint", _keys.Count);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            _fetchedAt = timeProvider.GetUtcNow();
            logger.LogWarning(exception, "Could not refresh signing keys from the JWKS endpoint; keeping {KeyCount} known keys", _keys.Count);
        }
        finally
        {
            _refreshLock.Release();
        }
    }
}
