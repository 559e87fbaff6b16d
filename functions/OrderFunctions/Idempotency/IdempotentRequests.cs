using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Orders.Api;
using Shop.Shared.Http;

namespace Shop.Orders.Idempotency;

/// <summary>A response and whether it is a replay of the first request's response.</summary>
public sealed record IdempotentResult(StoredResponse Response, bool Replayed);

/// <summary>
/// Stripe's idempotency semantics for one user's key: the first request runs and its response is stored; the same key
/// with the same body replays that response exactly; the same key with another body is 422; a duplicate that arrives
/// while the first is still running waits briefly for its response, then gets 409 with Retry-After. Requests that fail
/// validation never reach this (nothing is stored for them), and an attempt that fails unexpectedly is forgotten, so a
/// retry runs the work again; the work must therefore be idempotent itself.
/// </summary>
public sealed class IdempotentRequests(
    IdempotencyStore store,
    IOptions<OrderOptions> options,
    TimeProvider time,
    ILogger<IdempotentRequests> logger)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<IdempotentResult> RunAsync(
        string userId, string key, string requestHash, Func<CancellationToken, Task<StoredResponse>> work, CancellationToken cancellationToken)
    {
        var id = IdempotencyRecord.IdFor(userId, key);
        var deadline = time.GetUtcNow() + options.Value.DuplicateWait;
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var fresh = NewRecord(id, userId, requestHash, now);
            if (await store.TryInsertAsync(fresh, cancellationToken))
            {
                return await ExecuteAsync(fresh, work);
            }

            var existing = await store.FindAsync(id, cancellationToken);
            if (existing is null)
            {
                // Abandoned or expired between our insert and our read: try to claim it again.
                await Task.Delay(s_pollInterval, time, cancellationToken);
                continue;
            }

            if (existing.ExpiresAt <= now)
            {
                if (await store.TryTakeOverAsync(existing, fresh, now, cancellationToken))
                {
                    return await ExecuteAsync(fresh, work);
                }

                continue;
            }

            if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
            {
                throw OrderProblems.IdempotencyKeyReused();
            }

            if (existing is { State: IdempotencyState.Completed, ResponseStatus: { } status, ResponseBody: { } body })
            {
                return new IdempotentResult(new StoredResponse(status, body, existing.ResponseLocation), Replayed: true);
            }

            if (existing.LockedUntil < now)
            {
                if (await store.TryTakeOverAsync(existing, fresh, now, cancellationToken))
                {
                    logger.LogWarning("Taking over idempotent request {RecordId}: its first attempt did not finish within its lease", id);
                    return await ExecuteAsync(fresh, work);
                }

                continue;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw OrderProblems.RequestInProgress(existing.LockedUntil - now);
            }

            await Task.Delay(s_pollInterval, time, cancellationToken);
        }
    }

    private async Task<IdempotentResult> ExecuteAsync(IdempotencyRecord record, Func<CancellationToken, Task<StoredResponse>> work)
    {
        // Once claimed, the work and its record are finished even if the caller goes away: a retry then gets the
        // stored response instead of waiting for a lease to expire.
        var uninterrupted = CancellationToken.None;
        StoredResponse response;
        try
        {
            response = await work(uninterrupted);
        }
        catch
        {
            await store.AbandonAsync(record.Id, record.LockToken, uninterrupted);
            throw;
        }

        if (!await store.TryCompleteAsync(record.Id, record.LockToken, response, uninterrupted))
        {
            logger.LogWarning("Idempotent request {RecordId} finished after another attempt took it over; both did the same idempotent work", record.Id);
        }

        return new IdempotentResult(response, Replayed: false);
    }

    private IdempotencyRecord NewRecord(string id, string userId, string requestHash, DateTime now) => new()
    {
        Id = id,
        UserId = userId,
        RequestHash = requestHash,
        State = IdempotencyState.InProgress,
        LockToken = Ids.New(),
        LockedUntil = now + options.Value.IdempotencyLease,
        CreatedAt = now,
        ExpiresAt = now + options.Value.IdempotencyKeyLifetime,
    };
}
