using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MongoDB.Driver;
using Shop.Shared.Mongo;
using Shop.Shared.Time;

namespace Shop.Auth.Sessions;

public abstract record RotationOutcome
{
    private RotationOutcome()
    {
    }

    public sealed record Rotated(string UserId, string FamilyId) : RotationOutcome;

    public sealed record Replayed(string UserId, string FamilyId) : RotationOutcome;

    public sealed record Invalid : RotationOutcome;
}

public sealed class RefreshTokenStore(IMongoDatabase database, IOptions<AuthOptions> options, TimeProvider time, ILogger<RefreshTokenStore> logger) : IHasIndexes
{
    public const string CollectionName = "refreshTokens";
    public const int MaximumTokenLength = 128;

    private readonly IMongoCollection<RefreshToken> _tokens = database.GetCollection<RefreshToken>(CollectionName);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        await _tokens.Indexes.CreateManyAsync(
            [
                new CreateIndexModel<RefreshToken>(Builders<RefreshToken>.IndexKeys.Ascending(t => t.FamilyId), new CreateIndexOptions { Name = "familyId" }),
                new CreateIndexModel<RefreshToken>(Builders<RefreshToken>.IndexKeys.Ascending(t => t.ExpiresAt),
                    new CreateIndexOptions { Name = "expiresAt_ttl", ExpireAfter = TimeSpan.Zero }),
            ],
            cancellationToken);
    }

    /// <summary>Issues a new opaque token (256 random bits) in the given family, or a new family for a fresh login.</summary>
    public async Task<string> IssueAsync(string userId, string? familyId, CancellationToken cancellationToken)
    {
        var value = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.UtcNow();
        await _tokens.InsertOneAsync(new RefreshToken
        {
            Hash = HashOf(value),
            FamilyId = familyId ?? Guid.NewGuid().ToString("N"),
            UserId = userId,
            IssuedAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
        }, cancellationToken: cancellationToken);
        return value;
    }

    /// <summary>
    /// Marks the token used in one conditional update, so of two concurrent uses exactly one wins. A token that was
    /// already used is a replay: the whole family is revoked, which logs out both the thief and the victim.
    /// </summary>
    public async Task<RotationOutcome> UseAsync(string value, CancellationToken cancellationToken)
    {
        if (!LooksLikeToken(value))
        {
            return new RotationOutcome.Invalid();
        }

        var hash = HashOf(value);
        var now = time.UtcNow();
        var claimed = await _tokens.FindOneAndUpdateAsync<RefreshToken>(
            t => t.Hash == hash && t.UsedAt == null && t.RevokedAt == null && t.ExpiresAt > now,
            Builders<RefreshToken>.Update.Set(t => t.UsedAt, now),
            cancellationToken: cancellationToken);
        if (claimed is not null)
        {
            return new RotationOutcome.Rotated(claimed.UserId, claimed.FamilyId);
        }

        var existing = await _tokens.Find(t => t.Hash == hash).FirstOrDefaultAsync(cancellationToken);
        if (existing?.UsedAt is not null)
        {
            await RevokeFamilyAsync(existing.FamilyId, cancellationToken);
            logger.LogWarning("Refresh token reuse detected for user {UserId}; revoked family {FamilyId}", existing.UserId, existing.FamilyId);
            return new RotationOutcome.Replayed(existing.UserId, existing.FamilyId);
        }

        return new RotationOutcome.Invalid();
    }

    /// <summary>Revokes the family of the given token; unknown tokens are ignored (logout never reveals anything).</summary>
    public async Task RevokeAsync(string value, CancellationToken cancellationToken)
    {
        if (!LooksLikeToken(value))
        {
            return;
        }

        var hash = HashOf(value);
        var token = await _tokens.Find(t => t.Hash == hash).FirstOrDefaultAsync(cancellationToken);
        if (token is not null)
        {
            await RevokeFamilyAsync(token.FamilyId, cancellationToken);
        }
    }

    /// <summary>True when a concurrent replay revoked the family while a rotation was issuing into it.</summary>
    public async Task<bool> IsFamilyRevokedAsync(string familyId, CancellationToken cancellationToken) =>
        await _tokens.Find(t => t.FamilyId == familyId && t.RevokedAt != null).AnyAsync(cancellationToken);

    public Task RevokeFamilyAsync(string familyId, CancellationToken cancellationToken) =>
        _tokens.UpdateManyAsync(
            t => t.FamilyId == familyId && t.RevokedAt == null,
            Builders<RefreshToken>.Update.Set(t => t.RevokedAt, time.UtcNow()),
            cancellationToken: cancellationToken);

    private static bool LooksLikeToken(string value) =>
        value.Length is > 0 and <= MaximumTokenLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string HashOf(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
