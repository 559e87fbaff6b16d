using Shop.Auth;
using Shop.Auth.Sessions;
using Shop.Testing.Infrastructure;
using Shop.Testing.Dispatch;
using Shop.Testing.Hosting;

namespace Shop.Testing.Apps;

/// <summary>AuthFunctions in process against the real servers, in a database and Redis prefix of its own.</summary>
public sealed class AuthTestApp : IAsyncDisposable
{
    public const string DefaultPassword = "correct horse battery staple";

    private AuthTestApp(FunctionTestHost host, AppEnvironment environment)
    {
        Host = host;
        Environment = environment;
    }

    public FunctionTestHost Host { get; }

    public AppEnvironment Environment { get; }

    public static Task<AppEnvironment> NewEnvironmentAsync() => AppEnvironment.NewAsync("auth");

    public static async Task<AuthTestApp> StartAsync(
        AppEnvironment? environment = null,
        IDictionary<string, string?>? extraSettings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? overrides = null)
    {
        environment ??= await NewEnvironmentAsync();
        var settings = environment.Settings(
            new Dictionary<string, string?>
            {
                ["Auth:Issuer"] = "shop-auth",
                ["Auth:Audience"] = "shop-api",
                ["Auth:SigningKeys:0:Kid"] = TestTokens.Kid,
                ["Auth:SigningKeys:0:PrivateKeyPem"] = TestTokens.PrivateKeyPem,
            },
            extraSettings);

        var host = FunctionTestHost.Create(settings, (services, configuration) => services.AddAuth(configuration), overrides,
            FunctionDispatcher.FunctionClassesOf(typeof(AuthRegistration).Assembly));
        await host.Get<Shop.Shared.Mongo.MongoIndexInitializer>().EnsureAllAsync(CancellationToken.None);
        return new AuthTestApp(host, environment);
    }

    public Task<TestResponse> SignUpAsync(object body) =>
        Host.SendAsync("POST", "auth/signup", body);

    public Task<TestResponse> LoginAsync(object body, string clientAddress = "203.0.113.10") =>
        LoginAsync(new RequestSpec("POST", "auth/login", Bytes(body), null, new Dictionary<string, string>(), clientAddress));

    /// <summary>A login as the request states it: headers the client sent, whether it came through our proxy.</summary>
    public Task<TestResponse> LoginAsync(RequestSpec request) =>
        Host.SendAsync(request with { Method = "POST", Path = "auth/login" });

    public static byte[] LoginBody(string email, string password) => Bytes(new { email, password });

    public Task<TestResponse> RefreshAsync(string refreshToken) =>
        Host.SendAsync("POST", "auth/refresh", new { refreshToken });

    public Task<TestResponse> LogoutAsync(string refreshToken) =>
        Host.SendAsync("POST", "auth/logout", new { refreshToken });

    public Task<TestResponse> MeAsync(string? accessToken) =>
        Host.SendAsync("GET", "auth/me", bearer: accessToken);

    public Task<TestResponse> SetRolesAsync(string userId, string[] roles, string? accessToken) =>
        Host.SendAsync("PUT", $"auth/users/{userId}/roles", new { roles }, accessToken);

    /// <summary>Signs up and logs in a fresh user; returns its tokens and email.</summary>
    public async Task<(TokenPair Tokens, string Email, string UserId)> NewUserAsync(string password = DefaultPassword, string clientAddress = "203.0.113.10")
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var signUp = await SignUpAsync(new { email, password, displayName = "Test User" });
        if (signUp.Status != 201)
        {
            throw new InvalidOperationException("Sign-up: " + signUp);
        }

        var login = await LoginAsync(new { email, password }, clientAddress);
        if (login.Status != 200)
        {
            throw new InvalidOperationException("Login: " + login);
        }

        return (login.Json<TokenPair>(), email, signUp.Document.GetProperty("id").GetString()!);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private static byte[] Bytes(object body) =>
        body is string raw ? System.Text.Encoding.UTF8.GetBytes(raw) : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, Shop.Shared.Json.ShopJson.Options);
}
