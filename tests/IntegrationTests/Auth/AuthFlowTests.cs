using Shop.Auth.Sessions;

namespace Shop.IntegrationTests.Auth;

public sealed class AuthFlowTests
{
    private const string Password = "correct horse battery staple";

    [SkippableFact]
    public async Task Sign_up_login_and_me_return_the_profile_of_the_new_user()
    {
        await using var app = await AuthTestApp.StartAsync();
        var email = $"Alice.{Guid.NewGuid():N}@Example.com";

        var signUp = await app.SignUpAsync(new { email, password = Password, displayName = "Alice" });
        var login = await app.LoginAsync(new { email = email.ToUpperInvariant(), password = Password });
        var me = await app.MeAsync(login.Json<TokenPair>().AccessToken);

        Assert.Equal(201, signUp.Status);
        Assert.StartsWith("/api/auth/users/", signUp.Headers["Location"], StringComparison.Ordinal);
        Assert.Equal(200, login.Status);
        Assert.Equal("no-store", login.Headers["Cache-Control"]);
        Assert.Equal(200, me.Status);
        Assert.Equal(email.ToLowerInvariant(), me.Document.GetProperty("email").GetString());
        Assert.Equal("customer", me.Document.GetProperty("roles")[0].GetString());
        Assert.False(me.Body.Contains("passwordHash", StringComparison.OrdinalIgnoreCase), me.Body);
    }

    [SkippableFact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401()
    {
        await using var app = await AuthTestApp.StartAsync();
        var (_, email, _) = await app.NewUserAsync(Password);

        var wrongPassword = await app.LoginAsync(new { email, password = "not the password at all" });
        var unknownEmail = await app.LoginAsync(new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "not the password at all" });

        Assert.Equal(401, wrongPassword.Status);
        Assert.Equal(401, unknownEmail.Status);
        Assert.Equal(wrongPassword.Document.GetProperty("detail").GetString(), unknownEmail.Document.GetProperty("detail").GetString());
        Assert.Equal("application/problem+json; charset=utf-8", unknownEmail.ContentType);
    }

    [SkippableFact]
    public async Task Refresh_rotates_the_token_and_a_replayed_token_revokes_the_family()
    {
        await using var app = await AuthTestApp.StartAsync();
        var (first, _, _) = await app.NewUserAsync(Password);

        var rotated = await app.RefreshAsync(first.RefreshToken);
        var second = rotated.Json<TokenPair>();
        var replay = await app.RefreshAsync(first.RefreshToken);
        var afterReplay = await app.RefreshAsync(second.RefreshToken);

        Assert.Equal(200, rotated.Status);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(401, replay.Status);
        Assert.Equal(401, afterReplay.Status);
    }

    [SkippableFact]
    public async Task Logout_revokes_the_refresh_token_and_answers_204_even_for_unknown_tokens()
    {
        await using var app = await AuthTestApp.StartAsync();
        var (tokens, _, _) = await app.NewUserAsync(Password);

        var logout = await app.LogoutAsync(tokens.RefreshToken);
        var refreshAfterLogout = await app.RefreshAsync(tokens.RefreshToken);
        var unknownLogout = await app.LogoutAsync("bm90LWEtcmVhbC10b2tlbg");

        Assert.Equal(204, logout.Status);
        Assert.Equal(401, refreshAfterLogout.Status);
        Assert.Equal(204, unknownLogout.Status);
    }

    [SkippableFact]
    public async Task Twenty_concurrent_sign_ups_with_one_email_create_exactly_one_account()
    {
        await using var app = await AuthTestApp.StartAsync();
        var email = $"race-{Guid.NewGuid():N}@example.com";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            app.SignUpAsync(new { email = i % 2 == 0 ? email : email.ToUpperInvariant(), password = Password, displayName = $"Racer {i}" })));

        Assert.Equal([201, .. Enumerable.Repeat(409, 19)], responses.Select(r => r.Status).Order());
        Assert.All(responses.Where(r => r.Status == 409), r => Assert.EndsWith("/email-taken", r.Document.GetProperty("type").GetString(), StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Me_without_or_with_a_garbage_token_is_401_with_a_bearer_challenge()
    {
        await using var app = await AuthTestApp.StartAsync();

        var missing = await app.MeAsync(null);
        var garbage = await app.MeAsync("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");

        Assert.Equal(401, missing.Status);
        Assert.Equal("Bearer", missing.Headers["WWW-Authenticate"]);
        Assert.Equal(401, garbage.Status);
    }

    [SkippableFact]
    public async Task Only_admins_can_grant_roles_and_the_grant_shows_after_the_next_login()
    {
        await using var app = await AuthTestApp.StartAsync();
        var (adminTokens, adminEmail, _) = await app.NewUserAsync(Password);
        var (customerTokens, customerEmail, customerId) = await app.NewUserAsync(Password);
        Assert.True(await Shop.Auth.AdminCommand.GrantAsync(adminEmail, app.Host.Services, CancellationToken.None));
        var adminAfterGrant = (await app.LoginAsync(new { email = adminEmail, password = Password })).Json<TokenPair>();

        var byCustomer = await app.SetRolesAsync(customerId, ["admin"], customerTokens.AccessToken);
        var byStaleAdminToken = await app.SetRolesAsync(customerId, ["admin"], adminTokens.AccessToken);
        var byAdmin = await app.SetRolesAsync(customerId, ["customer", "admin"], adminAfterGrant.AccessToken);
        var unknownRole = await app.SetRolesAsync(customerId, ["root"], adminAfterGrant.AccessToken);
        var customerAgain = (await app.LoginAsync(new { email = customerEmail, password = Password })).Json<TokenPair>();
        var me = await app.MeAsync(customerAgain.AccessToken);

        Assert.Equal(403, byCustomer.Status);
        Assert.Equal(403, byStaleAdminToken.Status);
        Assert.Equal(200, byAdmin.Status);
        Assert.Equal(400, unknownRole.Status);
        Assert.Contains("admin", me.Document.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [SkippableFact]
    public async Task Grant_admin_command_refuses_an_email_without_an_account()
    {
        await using var app = await AuthTestApp.StartAsync();

        var granted = await Shop.Auth.AdminCommand.GrantAsync($"ghost-{Guid.NewGuid():N}@example.com", app.Host.Services, CancellationToken.None);

        Assert.False(granted);
    }
}
