using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace Shop.Shared.Caching;

/// <summary>
/// The Redis second level of HybridCache, made harmless when Redis is unreachable: a failure is logged, counted as a
/// miss (or a skipped write) and Redis is left alone for a short cool-down, so reads fall through to MongoDB and writes
/// still succeed instead of answering 500.
/// </summary>
public sealed class FailSafeDistributedCache(IDistributedCache inner, TimeProvider time, ILogger<FailSafeDistributedCache> logger) : IDistributedCache
{
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(5);

    private long _skipUntilTicks;

    public bool IsCoolingDown => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _skipUntilTicks);

    public byte[]? Get(string key) => Guard(() => inner.Get(key), default);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(() => inner.GetAsync(key, token), default);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() => { inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.SetAsync(key, value, options, token); return true; }, false);

    public void Refresh(string key) => Guard(() => { inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.RefreshAsync(key, token); return true; }, false);

    public void Remove(string key) => Guard(() => { inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await inner.RemoveAsync(key, token); return true; }, false);

    private T Guard<T>(Func<T> operation, T fallback)
    {
        if (IsCoolingDown)
        {
            return fallback;
        }

        try
        {
            return operation();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Trip(exception);
            return fallback;
        }
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> operation, T fallback)
    {
        if (IsCoolingDown)
        {
            return fallback;
        }

        try
        {
            return await operation();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Trip(exception);
            return fallback;
        }
    }

    private void Trip(Exception exception)
    {
        Interlocked.Exchange(ref _skipUntilTicks, (time.GetUtcNow() + CoolDown).UtcTicks);
        logger.LogWarning("Redis cache unavailable ({Error}); serving from the database for {Seconds}s", exception.GetType().Name, CoolDown.TotalSeconds);
    }
}
