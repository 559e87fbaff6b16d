namespace Shop.Shared.Mongo;

/// <summary>The next step of a claim that could not insert its document: the whole algorithm, free of I/O.</summary>
internal static class ClaimDecision
{
    public enum Step
    {
        /// <summary>The document vanished between the insert and the read (abandoned or expired): pause, insert again.</summary>
        InsertAgain,

        /// <summary>Replace the stored document, guarded by what was read, so of several takers one wins.</summary>
        TakeOver,

        /// <summary>The stored document is the answer.</summary>
        Answer,

        /// <summary>Another claim holds a live lease and the wait is over.</summary>
        GiveUp,

        /// <summary>Another claim holds a live lease: pause, then look again.</summary>
        Wait,
    }

    /// <param name="judged">The caller's judgement of the stored document; null when there was none.</param>
    /// <param name="lockedUntil">The stored document's lease.</param>
    public static Step Next(ExistingClaim? judged, DateTime lockedUntil, DateTime now, bool waitIsOver) => judged switch
    {
        null => Step.InsertAgain,
        ExistingClaim.Answers => Step.Answer,
        ExistingClaim.Stale => Step.TakeOver,
        _ when lockedUntil < now => Step.TakeOver,
        _ when waitIsOver => Step.GiveUp,
        _ => Step.Wait,
    };
}
