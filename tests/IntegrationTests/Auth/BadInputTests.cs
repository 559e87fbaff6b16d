namespace Shop.IntegrationTests.Auth;

public sealed class BadInputTests
{
    public static TheoryData<string, string> HostileSignUpBodies => new()
    {
        { "not json at all", "bad-request" },
        { "[1,2,3]", "bad-request" },
        { "{\"email\":", "bad-request" },
        { "{\"email\":{\"$gt\":\"\"},\"password\":\"correct horse battery staple\",\"displayName\":\"x\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":{\"$ne\":null},\"displayName\":\"x\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"x\",\"roles\":[\"admin\"]}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\"}", "validation" },
        { "{\"email\":\"not-an-email\",\"password\":\"correct horse battery staple\",\"displayName\":\"x\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":\"short\",\"displayName\":\"x\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":\"password123456\",\"displayName\":\"x\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":12345678901234,\"displayName\":\"x\"}", "validation" },
        { "{\"email\":null,\"password\":\"correct horse battery staple\",\"displayName\":\"x\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"\\u0000\"}", "validation" },
        { "{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"x\"}", "bad-request" },
        { "{\"email\":\"" + new string('a', 300) + "@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"x\"}", "validation" },
        { new string('[', 100) + new string(']', 100), "bad-request" },
        { "{\"a\":" + new string('[', 40) + new string(']', 40) + "}", "bad-request" },
    };

    [SkippableTheory]
    [MemberData(nameof(HostileSignUpBodies))]
    public async Task Hostile_sign_up_bodies_get_a_400_problem_and_create_nothing(string body, string problemType)
    {
        await using var app = await AuthTestApp.StartAsync();

        var response = await app.SignUpAsync(body);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        Assert.EndsWith("/" + problemType, response.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", response.Body, StringComparison.Ordinal);
        var users = app.Host.Get<MongoDB.Driver.IMongoDatabase>().GetCollection<MongoDB.Bson.BsonDocument>("users");
        Assert.Equal(0, await users.CountDocumentsAsync(MongoDB.Driver.FilterDefinition<MongoDB.Bson.BsonDocument>.Empty));
    }

    [SkippableFact]
    public async Task An_oversized_body_gets_413()
    {
        await using var app = await AuthTestApp.StartAsync();

        var response = await app.SignUpAsync("{\"email\":\"" + new string('a', 70_000) + "\"}");

        Assert.Equal(413, response.Status);
    }

    [SkippableFact]
    public async Task A_field_error_names_the_field()
    {
        await using var app = await AuthTestApp.StartAsync();

        var response = await app.SignUpAsync(new { email = "a@example.com", password = "correct horse battery staple", displayName = "x", isAdmin = true });

        Assert.Equal(400, response.Status);
        Assert.True(response.Document.GetProperty("errors").TryGetProperty("isAdmin", out _), response.Body);
    }

    [SkippableFact]
    public async Task Login_and_refresh_with_operator_objects_are_400_not_500()
    {
        await using var app = await AuthTestApp.StartAsync();

        var login = await app.LoginAsync("{\"email\":{\"$gt\":\"\"},\"password\":{\"$gt\":\"\"}}");
        var refresh = await app.Host.SendAsync("POST", "auth/refresh", "{\"refreshToken\":{\"$ne\":null}}");
        var refreshTooLong = await app.RefreshAsync(new string('A', 5000));

        Assert.Equal(400, login.Status);
        Assert.Equal(400, refresh.Status);
        Assert.Equal(400, refreshTooLong.Status);
    }
}
