using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Auth.Accounts;
using Shop.Auth.Keys;
using Shop.Auth.Lockout;
using Shop.Auth.Passwords;
using Shop.Auth.Sessions;
using Shop.Shared.Mongo;
using Shop.Shared.Observability;
using Shop.Shared.Security;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.Auth;

public static class AuthRegistration
{
    /// <summary>Everything AuthFunctions adds to the shared defaults.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration)
    {
        EmailAddresses.EnsureUnicodeNormalizationWorks();
        services.SetMetricsApp("auth");
        services.AddDeclaredRateLimits(typeof(AuthRegistration).Assembly);
        services.AddSingleton<AuthMetrics>();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<SigningKeyRing>();
        services.Replace(ServiceDescriptor.Singleton<ISigningKeySource>(sp => sp.GetRequiredService<SigningKeyRing>()));
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordPolicy>();
        services.AddMongoStore<UserStore>();
        services.AddMongoStore<RefreshTokenStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SessionService>();
        services.AddOpenApiDocument(OpenApiFunction.App);
        return services;
    }
}
