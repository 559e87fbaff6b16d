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

    // Static lambdas over a state tuple: the guard costs no closure or extra async state machine per call.
    public byte[]? Get(string key) => Guard((inner, key), static s => s.inner.Get(s.key), default);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        GuardAsync((inner, key, token), static s => s.inner.GetAsync(s.key, s.token), default);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Guard((inner, key, value, options), static s => { s.inner.Set(s.key, s.value, s.options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync((inner, key, value, options, token), static s => s.inner.SetAsync(s.key, s.value, s.options, s.token));

    public void Refresh(string key) => Guard((inner, key), static s => { s.inner.Refresh(s.key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync((inner, key, token), static s => s.inner.RefreshAsync(s.key, s.token));

    public void Remove(string key) => Guard((inner, key), static s => { s.inner.Remove(s.key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync((inner, key, token), static s => s.inner.RemoveAsync(s.key, s.token));

    private T Guard<TState, T>(TState state, Func<TState, T> operation, T fallback)
    {
        if (IsCoolingDown)
        {
            return fallback;
        }

        try
        {
            return operation(state);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Trip(exception);
            return fallback;
        }
    }

    private async Task<T> GuardAsync<TState, T>(TState state, Func<TState, Task<T>> operation, T fallback)
    {
        if (IsCoolingDown)
        {
            return fallback;
        }

        try
        {
            return await operation(state);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Trip(exception);
            return fallback;
        }
    }

    private async Task GuardAsync<TState>(TState state, Func<TState, Task> operation)
    {
        if (IsCoolingDown)
        {
            return;
        }

        try
        {
            await operation(state);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Trip(exception);
        }
    }

    private void Trip(Exception exception)
    {
        Interlocked.Exchange(ref _skipUntilTicks, (time.GetUtcNow() + CoolDown).UtcTicks);
        logger.LogWarning("Redis cache unavailable ({Error}); serving from the database for {Seconds}s", exception.GetType().Name, CoolDown.TotalSeconds);
    }
}
