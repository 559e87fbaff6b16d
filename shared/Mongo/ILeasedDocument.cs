namespace Shop.Shared.Mongo;

/// <summary>A document <see cref="LeasedClaims{TDocument}"/> can claim: its id and the lease of the claim on it.</summary>
public interface ILeasedDocument
{
    /// <summary>The document's <c>_id</c>: what is claimed.</summary>
    string Id { get; }

    /// <summary>
    /// Names the claim that holds the lease, which completing, abandoning or releasing the document must present; null
    /// when no claim does (never claimed, released, or stored before the document had one).
    /// </summary>
    string? LockToken { get; }

    /// <summary>
    /// Until when the holder works undisturbed; after it another claim may take the document over.
    /// <see cref="LeasedClaims{TDocument}.Completed"/> once the work is done, <see cref="LeasedClaims{TDocument}.Free"/>
    /// once a claim released it.
    /// </summary>
    DateTime LockedUntil { get; }
}
