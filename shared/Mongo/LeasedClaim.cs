namespace Shop.Shared.Mongo;

public enum ClaimOutcome
{
    /// <summary>This claim holds the lease on <see cref="LeasedClaim{TDocument}.Document"/> (inserted or taken over).</summary>
    Claimed,

    /// <summary>The stored document answers the claim (<see cref="ExistingClaim.Answers"/>).</summary>
    Answered,

    /// <summary>Another claim still held a live lease when the wait ended; the document shows until when.</summary>
    Busy,
}

/// <summary>
/// How a claim ended. <see cref="Document"/> is this claim's own document when <see cref="ClaimOutcome.Claimed"/>,
/// otherwise the stored one. <see cref="TookOver"/>: the claim took the lease of work whose lease had run out (the
/// document is the stored one, to resume) or replaced a document the caller judged stale (the document is its own).
/// </summary>
public sealed record LeasedClaim<TDocument>(ClaimOutcome Outcome, TDocument Document, bool TookOver = false);
