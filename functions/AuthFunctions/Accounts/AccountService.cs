using Microsoft.Extensions.Logging;
using Shop.Auth.Passwords;
using Shop.Shared.Http;
using Shop.Shared.RateLimiting;
using Shop.Shared.Security;
using Shop.Shared.Time;

namespace Shop.Auth.Accounts;

public sealed class AccountService(
    UserStore users,
    PasswordHasher hasher,
    PasswordPolicy policy,
    DistributedRateLimiter rateLimiter,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public async Task<UserProfile> SignUpAsync(SignUpRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!EmailAddresses.TryNormalize(request.Email, out var email))
        {
            errors["email"] = ["must be a valid email address"];
        }

        var displayName = request.DisplayName!.Trim();
        if (displayName.Length == 0 || displayName.Any(char.IsControl))
        {
            errors["displayName"] = ["must be 1-100 printable characters"];
        }

        var passwordProblems = policy.Check(request.Password!, email ?? "");
        if (passwordProblems.Count > 0)
        {
            errors["password"] = [.. passwordProblems];
        }

        if (errors.Count > 0)
        {
            throw Problems.Validation(errors);
        }

        await rateLimiter.EnforceAsync(AuthRateLimits.PerEmail, email!, cancellationToken);
        var now = time.UtcNow();
        var user = new User
        {
            Email = email!,
            UserId = Ids.New(),
            DisplayName = displayName,
            PasswordHash = hasher.Hash(request.Password!),
            Roles = [ShopRoles.Customer],
            CreatedAt = now,
            UpdatedAt = now,
        };

        if (!await users.TryInsertAsync(user, cancellationToken))
        {
            throw AuthProblems.EmailTaken();
        }

        logger.LogInformation("Signed up user {UserId}", user.UserId);
        return UserProfile.From(user);
    }

    public async Task<UserProfile> GetProfileAsync(Caller caller, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(caller.UserId, cancellationToken) ?? throw Problems.NotFound("The account no longer exists.");
        return UserProfile.From(user);
    }

    public async Task<UserProfile> SetRolesAsync(Caller admin, string userId, SetRolesRequest request, CancellationToken cancellationToken)
    {
        var roles = request.Roles!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var unknown = roles.Where(r => !ShopRoles.All.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            throw Problems.Validation("roles", $"known roles are: {string.Join(", ", ShopRoles.All.Order(StringComparer.Ordinal))}");
        }

        if (admin.UserId == userId && !roles.Contains(ShopRoles.Admin))
        {
            throw AuthProblems.LastAdminGuard();
        }

        var user = await users.SetRolesAsync(userId, roles, time.UtcNow(), cancellationToken)
            ?? throw Problems.NotFound("No such user.");
        logger.LogInformation("Admin {AdminId} set roles of user {UserId} to {Roles}", admin.UserId, userId, string.Join(",", roles));
        return UserProfile.From(user);
    }
}
