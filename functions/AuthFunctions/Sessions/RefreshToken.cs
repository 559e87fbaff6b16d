using MongoDB.Bson.Serialization.Attributes;

namespace Shop.Auth.Sessions;

/// <summary>
/// A refresh token as stored: only the SHA-256 of the value, never the value. Tokens of one login form a family;
/// each use marks the token used and issues the next one of the family.
/// </summary>
public sealed record RefreshToken
{
    [BsonId]
    public required string Hash { get; init; }

    public required string FamilyId { get; init; }

    public required string UserId { get; init; }

    public required DateTime IssuedAt { get; init; }

    /// <summary>A TTL index deletes the document once this has passed.</summary>
    public required DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; init; }

    public DateTime? RevokedAt { get; init; }
}
