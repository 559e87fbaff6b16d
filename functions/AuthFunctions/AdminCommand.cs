using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Auth.Accounts;
using Shop.Shared.Security;
using Shop.Shared.Time;

namespace Shop.Auth;

/// <summary>
/// The safe way to make the first administrator: a command run by an operator who can already run the app's image
/// with its configuration (`dotnet AuthFunctions.dll grant-admin alice@example.com`; in the app's folder it also reads
/// local.settings.json, as `func start` does). No HTTP endpoint can do it, so nobody on the network can make themselves
/// admin. The account must have signed up first.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "grant-admin";

    public static bool IsRequested(string[] args) => args.Length > 0 && string.Equals(args[0], Verb, StringComparison.Ordinal);

    public static async Task<bool> TryRunAsync(string[] args, IServiceProvider services)
    {
        if (!IsRequested(args))
        {
            return false;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminCommand));
        if (args.Length != 2)
        {
            logger.LogError("Usage: {Verb} <email>", Verb);
            Environment.ExitCode = 2;
            return true;
        }

        Environment.ExitCode = await GrantAsync(args[1], services, CancellationToken.None) ? 0 : 1;
        return true;
    }

    public static async Task<bool> GrantAsync(string email, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminCommand));
        if (!EmailAddresses.TryNormalize(email, out var normalized))
        {
            logger.LogError("'{Email}' is not a valid email address", email);
            return false;
        }

        var time = services.GetRequiredService<TimeProvider>();
        var user = await services.GetRequiredService<UserStore>()
            .AddRoleByEmailAsync(normalized, ShopRoles.Admin, time.UtcNow(), cancellationToken);
        if (user is null)
        {
            logger.LogError("No account with that email; sign up first, then grant the admin role");
            return false;
        }

        logger.LogInformation("User {UserId} now has the admin role (effective from the next login or refresh)", user.UserId);
        return true;
    }
}
