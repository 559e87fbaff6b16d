namespace Shop.Shared.Mongo;

/// <summary>A document <see cref="LeasedClaims{TDocument}"/> can claim: its id and the lease of the claim on it.</summary>
public interface ILeasedDocument
{
    /// <summary>The document's <c>_id</c>: what is claimed.</summary>
    string Id { get; }

    /// <summary>Names the claim that holds the lease; completing or abandoning the document must present it.</summary>
    string LockToken { get; }

    /// <summary>
    /// Until when the holder works undisturbed; after it another claim may take the document over.
    /// <see cref="LeasedClaims{TDocument}.Completed"/> once the work is done.
    /// </summary>
    DateTime LockedUntil { get; }
}
