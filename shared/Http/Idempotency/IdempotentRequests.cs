using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Shared.Mongo;

namespace Shop.Shared.Http.Idempotency;

/// <summary>
/// Stripe's idempotency semantics for one user's key: the first request runs and its response is stored; the same key
/// with the same body replays that response exactly; the same key with another body is 422; a duplicate that arrives
/// while the first is still running waits briefly for its response, then gets 409 with Retry-After. Requests that fail
/// validation never reach this (nothing is stored for them), and an attempt that fails unexpectedly is forgotten, so a
/// retry runs the work again; the work must therefore be idempotent itself. The key is claimed with
/// <see cref="LeasedClaims{TDocument}"/>: a first request that dies is taken over once its lease has run out.
/// </summary>
public sealed class IdempotentRequests(
    IdempotencyStore store,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    ILogger<IdempotentRequests> logger)
{
    /// <summary>
    /// Claims <paramref name="key"/> for this request: a claim to do the work and complete, or the replay of the first
    /// response. Throws the 422 and 409 problems.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string userId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var id = IdempotencyRecord.IdFor(userId, key);
        var claim = await store.Claims.ClaimAsync(
            lease => NewRecord(id, userId, requestHash, lease),
            (stored, now) => Judge(stored, requestHash, now),
            settings.Lease,
            settings.DuplicateWait,
            cancellationToken);
        var record = claim.Document;
        switch (claim.Outcome)
        {
            case ClaimOutcome.Answered when !string.Equals(record.RequestHash, requestHash, StringComparison.Ordinal):
                throw IdempotencyProblems.KeyReused(settings.Subject);
            case ClaimOutcome.Answered:
                return IdempotencyClaim.Replay(new StoredResponse(record.ResponseStatus!.Value, record.ResponseBody!, record.ResponseLocation));
            case ClaimOutcome.Busy:
                throw IdempotencyProblems.RequestInProgress(record.LockedUntil - time.GetUtcNow().UtcDateTime);
        }

        if (claim.TookOver)
        {
            logger.LogWarning("Taking over idempotent request {RecordId}: its first attempt did not finish within its lease, or its record expired", id);
        }

        return IdempotencyClaim.Work(store, record, logger);
    }

    /// <summary>An expired record is dead even before the TTL monitor (about once a minute) removes it.</summary>
    private static ExistingClaim Judge(IdempotencyRecord stored, string requestHash, DateTime now) => stored switch
    {
        _ when stored.ExpiresAt <= now => ExistingClaim.Stale,
        _ when !string.Equals(stored.RequestHash, requestHash, StringComparison.Ordinal) => ExistingClaim.Answers,
        { State: IdempotencyState.Completed, ResponseStatus: not null, ResponseBody: not null } => ExistingClaim.Answers,
        _ => ExistingClaim.InProgress,
    };

    private IdempotencyRecord NewRecord(string id, string userId, string requestHash, ClaimLease lease)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new IdempotencyRecord
        {
            Id = id,
            UserId = userId,
            RequestHash = requestHash,
            State = IdempotencyState.InProgress,
            LockToken = lease.Token,
            LockedUntil = lease.Until,
            CreatedAt = now,
            ExpiresAt = now + options.Value.KeyLifetime,
        };
    }
}
