namespace Shop.Shared.Mongo;

/// <summary>What a document another claim stored means for this claim: the caller's judgement, by its own rules.</summary>
public enum ExistingClaim
{
    /// <summary>It answers this claim already (its work is done, or it conflicts with this claim): nothing to claim.</summary>
    Answers,

    /// <summary>Its work is under way: wait for it, and take its lease over (to resume it) only once the lease has run out.</summary>
    InProgress,

    /// <summary>It is dead whatever its lease says (expired, say): take it over at once.</summary>
    Stale,
}
