using MongoDB.Bson.Serialization.Attributes;

namespace Shop.Auth.Accounts;

/// <summary>
/// A user document. Its <c>_id</c> is the normalised email, so the database itself refuses a second account for the
/// same address; <see cref="UserId"/> is the stable, non-personal id that tokens carry.
/// </summary>
public sealed record User
{
    [BsonId]
    public required string Email { get; init; }

    public required string UserId { get; init; }

    public required string DisplayName { get; init; }

    public required string PasswordHash { get; init; }

    public required string[] Roles { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; init; }
}

/// <summary>What a user may see of their own account.</summary>
public sealed record UserProfile(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTime CreatedAt)
{
    public static UserProfile From(User user) => new(user.UserId, user.Email, user.DisplayName, user.Roles, user.CreatedAt);
}
