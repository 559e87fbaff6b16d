using MongoDB.Driver;
using Shop.Auth.Accounts;
using Shop.Auth.Passwords;

namespace Shop.IntegrationTests.Auth;

public sealed class LookAlikeEmailTests
{
    private const string Password = "correct horse battery staple";
    private const char FullWidthA = '\uFF41';
    private const char CyrillicA = '\u0430';
    private const char DotlessI = '\u0131';

    [SkippableFact]
    public async Task Full_width_cyrillic_and_dotless_look_alikes_do_not_create_a_second_account()
    {
        await using var app = await AuthTestApp.StartAsync();
        var suffix = $"nn-{Guid.NewGuid():N}@example.com";
        var ann = await app.SignUpAsync(new { email = "a" + suffix, password = Password, displayName = "Ann" });
        var inn = await app.SignUpAsync(new { email = "i" + suffix, password = Password, displayName = "Inn" });

        var fullWidth = await app.SignUpAsync(new { email = FullWidthA + suffix, password = Password, displayName = "Mallory" });
        var cyrillic = await app.SignUpAsync(new { email = CyrillicA + suffix, password = Password, displayName = "Mallory" });
        var dotless = await app.SignUpAsync(new { email = DotlessI + suffix, password = Password, displayName = "Mallory" });
        var loginTypedFullWidth = await app.LoginAsync(new { email = FullWidthA + suffix, password = Password });
        var me = await app.MeAsync(loginTypedFullWidth.Document.GetProperty("accessToken").GetString());

        Assert.Equal([201, 201], new[] { ann.Status, inn.Status });
        Assert.Equal(409, fullWidth.Status);
        Assert.EndsWith("/email-taken", fullWidth.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, cyrillic.Status);
        Assert.True(cyrillic.Document.GetProperty("errors").TryGetProperty("email", out _), cyrillic.ToString());
        Assert.Equal(400, dotless.Status);
        Assert.True(dotless.Document.GetProperty("errors").TryGetProperty("email", out _), dotless.ToString());
        Assert.Equal(ann.Document.GetProperty("id").GetString(), me.Document.GetProperty("id").GetString());
        Assert.Equal(2, await CountAccountsAsync(app));
    }

    [SkippableFact]
    public async Task Accounts_stored_under_the_old_normalisation_still_log_in()
    {
        await using var app = await AuthTestApp.StartAsync();
        var suffix = $"nn-{Guid.NewGuid():N}@example.com";
        var ascii = await app.SignUpAsync(new { email = "a" + suffix, password = "the ascii twin's own password", displayName = "Ann" });
        // Made before this change: FormC kept the full-width and Cyrillic letters, so these are their stored _ids.
        var legacyFullWidth = await InsertLegacyAccountAsync(app, FullWidthA + suffix);
        var legacyCyrillic = await InsertLegacyAccountAsync(app, CyrillicA + suffix);

        var fullWidthLogin = await app.LoginAsync(new { email = FullWidthA + suffix, password = Password });
        var cyrillicLogin = await app.LoginAsync(new { email = CyrillicA + suffix, password = Password });
        var asciiLogin = await app.LoginAsync(new { email = "a" + suffix, password = "the ascii twin's own password" });

        Assert.Equal(201, ascii.Status);
        Assert.Equal(200, fullWidthLogin.Status);
        Assert.Equal(legacyFullWidth.UserId, await UserIdOfAsync(app, fullWidthLogin));
        Assert.Equal(200, cyrillicLogin.Status);
        Assert.Equal(legacyCyrillic.UserId, await UserIdOfAsync(app, cyrillicLogin));
        Assert.Equal(200, asciiLogin.Status);
        Assert.Equal(ascii.Document.GetProperty("id").GetString(), await UserIdOfAsync(app, asciiLogin));
    }

    private static async Task<User> InsertLegacyAccountAsync(AuthTestApp app, string email)
    {
        var user = new User
        {
            Email = EmailAddresses.LegacyNormalize(email),
            UserId = Guid.NewGuid().ToString("N"),
            DisplayName = "Legacy",
            PasswordHash = app.Host.Get<PasswordHasher>().Hash(Password),
            Roles = ["customer"],
            CreatedAt = DateTime.UtcNow,
            UpdatedAt = DateTime.UtcNow,
        };
        Assert.True(await app.Host.Get<UserStore>().TryInsertAsync(user, CancellationToken.None));
        return user;
    }

    private static async Task<string?> UserIdOfAsync(AuthTestApp app, TestResponse login) =>
        (await app.MeAsync(login.Document.GetProperty("accessToken").GetString())).Document.GetProperty("id").GetString();

    private static Task<long> CountAccountsAsync(AuthTestApp app) =>
        app.Host.Get<IMongoDatabase>().GetCollection<User>(UserStore.CollectionName).CountDocumentsAsync(FilterDefinition<User>.Empty);
}
