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

    /// <summary>
    /// The account a login means, given <see cref="EmailAddresses.LoginForms"/>. When both forms exist (a look-alike
    /// made before NFKC normalisation, e.g. a full-width address beside its ASCII twin), the exact legacy form wins, so
    /// every existing account keeps the login it had; otherwise the one that exists.
    /// </summary>
    public async Task<User?> FindForLoginAsync(IReadOnlyList<string> forms, CancellationToken cancellationToken)
    {
        var found = await _users.Find(Builders<User>.Filter.In(u => u.Email, forms)).ToListAsync(cancellationToken);
        return forms.Select(form => found.Find(u => string.Equals(u.Email, form, StringComparison.Ordinal))).FirstOrDefault(u => u is not null);
    }

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
