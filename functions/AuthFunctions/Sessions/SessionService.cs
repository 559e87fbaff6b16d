using Microsoft.Extensions.Logging;
using Shop.Auth.Accounts;
using Shop.Auth.Lockout;
using Shop.Auth.Passwords;
using Shop.Shared.Http;
using Shop.Shared.RateLimiting;
using Shop.Shared.Time;

namespace Shop.Auth.Sessions;

public sealed class SessionService(
    UserStore users,
    PasswordHasher hasher,
    LoginThrottle throttle,
    AccessTokenIssuer accessTokens,
    RefreshTokenStore refreshTokens,
    DistributedRateLimiter rateLimiter,
    AuthMetrics metrics,
    TimeProvider time,
    ILogger<SessionService> logger)
{
    private const string InvalidCredentials = "The email or password is wrong.";

    /// <summary>
    /// One answer for an unknown email and a wrong password, with the same Argon2 work done for both, so neither the
    /// status, the body nor the timing tells whether an account exists.
    /// </summary>
    public async Task<TokenPair> LoginAsync(LoginRequest request, string clientAddress, CancellationToken cancellationToken)
    {
        var email = EmailAddresses.Normalize(request.Email!);
        var throttleState = await throttle.CheckAsync(email, clientAddress);
        if (throttleState.LockedFor is { } wait)
        {
            throw AuthProblems.LockedOut(wait);
        }

        // Per email here rather than in the middleware: only the service knows the normalised address (case and
        // dot variants must share one quota), and it needs no second read of the body. Only clients that have failed
        // against this account spend it, so an attacker who drains it does not refuse the owner on another client.
        if (throttleState.AccountQuotaApplies)
        {
            await rateLimiter.EnforceAsync(AuthRateLimits.PerEmail, email, cancellationToken);
        }

        var user = await users.FindForLoginAsync(EmailAddresses.LoginForms(request.Email!), cancellationToken);
        var check = hasher.Verify(request.Password!, user?.PasswordHash ?? hasher.Decoy);
        if (user is null || check == PasswordCheck.Failed)
        {
            await throttle.RecordFailureAsync(email, clientAddress);
            metrics.LoginFailed();
            logger.LogInformation("Failed login from {ClientAddress}", clientAddress);
            throw Problems.Unauthorized(InvalidCredentials);
        }

        await throttle.RecordSuccessAsync(email, clientAddress);
        if (check == PasswordCheck.ValidButNeedsRehash)
        {
            await users.UpgradePasswordHashAsync(user, hasher.Hash(request.Password!), time.UtcNow(), cancellationToken);
            logger.LogInformation("Upgraded the password hash parameters of user {UserId}", user.UserId);
        }

        logger.LogInformation("User {UserId} logged in", user.UserId);
        return await IssuePairAsync(user, familyId: null, cancellationToken);
    }

    public async Task<TokenPair> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
    {
        var outcome = await refreshTokens.UseAsync(request.RefreshToken!, cancellationToken);
        if (outcome is not RotationOutcome.Rotated rotated)
        {
            throw Problems.Unauthorized("The refresh token is invalid, expired or revoked.");
        }

        var user = await users.FindByIdAsync(rotated.UserId, cancellationToken)
            ?? throw Problems.Unauthorized("The refresh token is invalid, expired or revoked.");
        var pair = await IssuePairAsync(user, rotated.FamilyId, cancellationToken);
        if (await refreshTokens.IsFamilyRevokedAsync(rotated.FamilyId, cancellationToken))
        {
            await refreshTokens.RevokeFamilyAsync(rotated.FamilyId, cancellationToken);
            throw Problems.Unauthorized("The refresh token is invalid, expired or revoked.");
        }

        return pair;
    }

    public Task LogoutAsync(RefreshRequest request, CancellationToken cancellationToken) =>
        refreshTokens.RevokeAsync(request.RefreshToken!, cancellationToken);

    private async Task<TokenPair> IssuePairAsync(User user, string? familyId, CancellationToken cancellationToken)
    {
        var (accessToken, expiresIn) = accessTokens.Issue(user);
        var refreshToken = await refreshTokens.IssueAsync(user.UserId, familyId, cancellationToken);
        return new TokenPair(accessToken, "Bearer", expiresIn, refreshToken);
    }
}
