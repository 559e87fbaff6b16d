using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace Shop.Shared.Mongo;

/// <summary>
/// Leases on documents, so that of any number of concurrent workers exactly one works on each. Two ways to claim:
/// <list type="bullet">
/// <item>One document by id, which the claim creates (idempotency keys, reservations): <see cref="ClaimAsync"/> inserts
/// the caller's document with a new lease; the database's unique <c>_id</c> decides who is first, never a read. A
/// worker that finds a document asks the caller's judge what it means: it answers the request (done, or a conflict),
/// its work is in progress (wait, polling until the wait is over, and once its lease ran out take the lease over and
/// resume the stored document), or it is stale (replace it with the caller's at once). A take-over succeeds only if
/// the document still holds the lock token that was read, so of several takers one wins. The claim ends with
/// <see cref="TryCompleteAsync"/> (the lease never runs out, <see cref="Completed"/>, so no later claim takes the
/// document over unless the caller judges it stale) or <see cref="TryAbandonAsync"/> (deleted: the next claim starts
/// afresh).</item>
/// <item>A batch of documents others stored (the outbox): <see cref="ClaimManyAsync"/> takes, in one update, the
/// lease on those candidates that are still due and that no claim holds, skipping instead of waiting for the ones
/// another claim holds. A held document is let go with <see cref="TryReleaseAsync"/> (the caller's update applied, the
/// lease <see cref="Free"/>), never deleted.</item>
/// </list>
/// Completing, abandoning and releasing are guarded by the claim's token: a worker whose lease was taken over can no
/// longer change the document. The work behind a claim must be idempotent: a worker that dies (or overruns its lease)
/// is redone by the taker. Times come from the <see cref="TimeProvider"/>; documents implement
/// <see cref="ILeasedDocument"/>.
/// </summary>
public sealed class LeasedClaims<TDocument>(IMongoCollection<TDocument> collection, TimeProvider time)
    where TDocument : class, ILeasedDocument
{
    /// <summary>The lease of a completed document: it never runs out.</summary>
    public static readonly DateTime Completed = DateTime.MaxValue;

    /// <summary>The lease of a released document: long over, so any claim may take it.</summary>
    public static readonly DateTime Free = DateTime.UnixEpoch;

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly Lazy<(string Token, string Until)> s_elements = new(() => (ElementOf(nameof(ILeasedDocument.LockToken)), ElementOf(nameof(ILeasedDocument.LockedUntil))));

    private static FilterDefinitionBuilder<TDocument> Filter => Builders<TDocument>.Filter;

    /// <summary>
    /// Inserts <paramref name="create"/>'s document with a new lease of <paramref name="lease"/>, or settles with the one
    /// stored: answered by it, taken over (<see cref="LeasedClaim{TDocument}.Document"/> is then the resumed or the
    /// replacing document), or busy once <paramref name="wait"/> is over.
    /// </summary>
    /// <param name="create">This claim's document, holding the lease it is given (called again for every try).</param>
    /// <param name="judge">What a stored document means for this claim, at the given time.</param>
    public async Task<LeasedClaim<TDocument>> ClaimAsync(
        Func<ClaimLease, TDocument> create,
        Func<TDocument, DateTime, ExistingClaim> judge,
        TimeSpan lease,
        TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var waitEnds = time.GetUtcNow() + wait;
        while (true)
        {
            var now = Now();
            var fresh = create(NewLease(now, lease));
            if (await collection.TryInsertOneAsync(fresh, cancellationToken))
            {
                return new LeasedClaim<TDocument>(ClaimOutcome.Claimed, fresh);
            }

            var stored = await FindAsync(fresh.Id, cancellationToken);
            var judged = stored is null ? (ExistingClaim?)null : judge(stored, now);
            switch (ClaimDecision.Next(judged, stored?.LockedUntil ?? default, now, time.GetUtcNow() >= waitEnds))
            {
                case ClaimDecision.Step.Answer:
                    return new LeasedClaim<TDocument>(ClaimOutcome.Answered, stored!);
                case ClaimDecision.Step.TakeOver:
                    var taken = judged == ExistingClaim.Stale
                        ? await TryReplaceAsync(stored!, fresh, cancellationToken)
                        : await TryResumeAsync(stored!, fresh, now, cancellationToken);
                    if (taken is not null)
                    {
                        return new LeasedClaim<TDocument>(ClaimOutcome.Claimed, taken, TookOver: true);
                    }

                    // Another taker won, or the holder finished: look again at once.
                    continue;
                case ClaimDecision.Step.GiveUp:
                    return new LeasedClaim<TDocument>(ClaimOutcome.Busy, stored!);
                default:
                    await Task.Delay(PollInterval, time, cancellationToken);
                    continue;
            }
        }
    }

    /// <summary>
    /// Takes a lease of <paramref name="lease"/> on those of <paramref name="candidates"/> that still match
    /// <paramref name="stillDue"/> and that no claim holds (free, or its lease ran out), with one update; returns the
    /// ones this claim now holds, in the order of <paramref name="candidates"/>, each holding the new lease. Only when
    /// some were not taken (another claim holds them, or they are no longer due) are the held ones read again.
    /// </summary>
    /// <param name="candidates">The documents as the caller read them; when all are taken, they are what is returned.</param>
    /// <param name="withLease">A candidate holding the given lease.</param>
    public async Task<IReadOnlyList<TDocument>> ClaimManyAsync(
        IReadOnlyList<TDocument> candidates,
        FilterDefinition<TDocument> stillDue,
        TimeSpan lease,
        Func<TDocument, ClaimLease, TDocument> withLease,
        CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var now = Now();
        var claim = NewLease(now, lease);
        var ids = candidates.Select(c => c.Id).ToList();
        var taken = await collection.UpdateManyAsync(
            Filter.In("_id", ids) & stillDue & Filter.Lte(s_elements.Value.Until, now),
            Builders<TDocument>.Update.Set(s_elements.Value.Token, claim.Token).Set(s_elements.Value.Until, claim.Until),
            cancellationToken: cancellationToken);
        if (taken.ModifiedCount == candidates.Count)
        {
            return [.. candidates.Select(c => withLease(c, claim))];
        }

        if (taken.ModifiedCount == 0)
        {
            return [];
        }

        var held = (await collection.Find(Filter.In("_id", ids) & Filter.Eq(s_elements.Value.Token, claim.Token)).ToListAsync(cancellationToken))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        return [.. candidates.Where(c => held.ContainsKey(c.Id)).Select(c => held[c.Id])];
    }

    /// <summary>
    /// Applies the finished work's <paramref name="result"/> and ends the lease for good, if the claim named by
    /// <paramref name="lockToken"/> still holds the document; false when another claim took it over.
    /// </summary>
    public async Task<bool> TryCompleteAsync(string id, string lockToken, UpdateDefinition<TDocument> result, CancellationToken cancellationToken)
    {
        var update = Builders<TDocument>.Update.Combine(result, Builders<TDocument>.Update.Set(s_elements.Value.Until, Completed));
        var outcome = await collection.UpdateOneAsync(HeldBy(id, lockToken), update, cancellationToken: cancellationToken);
        return outcome.ModifiedCount == 1;
    }

    /// <summary>
    /// Deletes the document of a claim whose work failed, so the next claim starts afresh; false (and nothing changes)
    /// when the claim no longer holds it.
    /// </summary>
    public async Task<bool> TryAbandonAsync(string id, string lockToken, CancellationToken cancellationToken)
    {
        var outcome = await collection.DeleteOneAsync(HeldBy(id, lockToken), cancellationToken);
        return outcome.DeletedCount == 1;
    }

    /// <summary>
    /// Applies <paramref name="update"/> and frees the lease, if the claim named by <paramref name="lockToken"/> still
    /// holds the document; false (and nothing changes) when another claim took it over or it was let go already.
    /// </summary>
    public async Task<bool> TryReleaseAsync(string id, string lockToken, UpdateDefinition<TDocument> update, CancellationToken cancellationToken)
    {
        var release = Builders<TDocument>.Update.Combine(
            update,
            Builders<TDocument>.Update.Set(s_elements.Value.Token, (string?)null).Set(s_elements.Value.Until, Free));
        var outcome = await collection.UpdateOneAsync(HeldBy(id, lockToken), release, cancellationToken: cancellationToken);
        return outcome.ModifiedCount == 1;
    }

    public async Task<TDocument?> FindAsync(string id, CancellationToken cancellationToken) =>
        await collection.Find(Filter.Eq("_id", id)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A stale document is replaced by this claim's own.</summary>
    private async Task<TDocument?> TryReplaceAsync(TDocument seen, TDocument replacement, CancellationToken cancellationToken)
    {
        var outcome = await collection.ReplaceOneAsync(StillAsSeen(seen), replacement, cancellationToken: cancellationToken);
        return outcome.ModifiedCount == 1 ? replacement : null;
    }

    /// <summary>Work whose lease ran out is resumed: only the lease changes hands, what the work stored so far stays.</summary>
    private async Task<TDocument?> TryResumeAsync(TDocument seen, TDocument withNewLease, DateTime now, CancellationToken cancellationToken) =>
        await collection.FindOneAndUpdateAsync(
            StillAsSeen(seen) & Filter.Lt(s_elements.Value.Until, now),
            Builders<TDocument>.Update.Set(s_elements.Value.Token, withNewLease.LockToken).Set(s_elements.Value.Until, withNewLease.LockedUntil),
            new FindOneAndUpdateOptions<TDocument> { ReturnDocument = ReturnDocument.After },
            cancellationToken);

    private static FilterDefinition<TDocument> StillAsSeen(TDocument seen) =>
        Filter.Eq("_id", seen.Id) & Filter.Eq(s_elements.Value.Token, seen.LockToken);

    private static FilterDefinition<TDocument> HeldBy(string id, string lockToken) =>
        Filter.Eq("_id", id) & Filter.Eq(s_elements.Value.Token, lockToken) & Filter.Ne(s_elements.Value.Until, Completed);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private static ClaimLease NewLease(DateTime now, TimeSpan lease) => new(Guid.NewGuid().ToString("N"), now + lease);

    private static string ElementOf(string member) =>
        BsonSerializer.LookupSerializer<TDocument>() is IBsonDocumentSerializer serializer && serializer.TryGetMemberSerializationInfo(member, out var info)
            ? info.ElementName
            : throw new InvalidOperationException($"{typeof(TDocument).Name} must map {member} to a field of its own.");
}
