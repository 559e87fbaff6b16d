using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Auth.Accounts;

public sealed class UserStore(IMongoDatabase database) : IHasIndexes
{
    public const string CollectionName = "users";

    private readonly IMongoCollection<User> _users = database.GetCollection<User>(CollectionName);

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _users.Indexes.CreateOneAsync(
            new CreateIndexModel<User>(Builders<User>.IndexKeys.Ascending(u => u.UserId), new CreateIndexOptions { Unique = true, Name = "userId_unique" }),
            cancellationToken: cancellationToken);

    /// <summary>Inserts the user; false when the email is taken (E11000 on <c>_id</c>), never check-then-insert.</summary>
    public Task<bool> TryInsertAsync(User user, CancellationToken cancellationToken) =>
        _users.TryInsertOneAsync(user, cancellationToken);

    public async Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        await _users.Find(u => u.Email == normalizedEmail).FirstOrDefaultAsync(cancellationToken);

    public async Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        await _users.Find(u => u.UserId == userId).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Replaces the hash only if it is still the one that was verified, so a concurrent change wins.</summary>
    public async Task UpgradePasswordHashAsync(User user, string newHash, DateTime now, CancellationToken cancellationToken) =>
        await _users.UpdateOneAsync(
            u => u.Email == user.Email && u.PasswordHash == user.PasswordHash,
            Builders<User>.Update.Set(u => u.PasswordHash, newHash).Set(u => u.UpdatedAt, now),
            cancellationToken: cancellationToken);

    public async Task<User?> SetRolesAsync(string userId, string[] roles, DateTime now, CancellationToken cancellationToken) =>
        await _users.FindOneAndUpdateAsync(
            u => u.UserId == userId,
            Builders<User>.Update.Set(u => u.Roles, roles).Set(u => u.UpdatedAt, now),
            new FindOneAndUpdateOptions<User> { ReturnDocument = ReturnDocument.After },
            cancellationToken);

    public async Task<User?> AddRoleByEmailAsync(string normalizedEmail, string role, DateTime now, CancellationToken cancellationToken) =>
        await _users.FindOneAndUpdateAsync(
            u => u.Email == normalizedEmail,
            Builders<User>.Update.AddToSet(u => u.Roles, role).Set(u => u.UpdatedAt, now),
            new FindOneAndUpdateOptions<User> { ReturnDocument = ReturnDocument.After },
            cancellationToken);
}
