using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Shop.Auth.Accounts;
using Shop.Auth.Sessions;

namespace Shop.Auth;

/// <summary>Creates the indexes at start; a database that is not up yet only delays this, it never stops the app.</summary>
public sealed class AuthIndexes(UserStore users, RefreshTokenStore refreshTokens, ILogger<AuthIndexes> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await EnsureAsync(stoppingToken);
                return;
            }
            catch (Exception exception) when (exception is MongoException or TimeoutException)
            {
                logger.LogWarning("Creating indexes failed (attempt {Attempt}): {Error}", attempt, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), stoppingToken);
            }
        }
    }

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await users.EnsureIndexesAsync(cancellationToken);
        await refreshTokens.EnsureIndexesAsync(cancellationToken);
    }
}
