
namespace Shop.IntegrationTests;

public sealed class HealthTests
{
    [SkippableFact]
    public async Task Health_is_200_when_mongodb_and_redis_answer()
    {
        await using var app = await AuthTestApp.StartAsync();

        var response = await app.Host.SendAsync("GET", "health");

        Assert.Equal(200, response.Status);
        Assert.Equal("healthy", response.Document.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Health_is_503_naming_the_dependency_that_is_down()
    {
        var environment = await AuthTestApp.NewEnvironmentAsync();
        environment = environment with { Servers = environment.Servers with { Redis = "127.0.0.1:1" } };
        await using var app = await AuthTestApp.StartAsync(environment);

        var response = await app.Host.SendAsync("GET", "health");

        Assert.Equal(503, response.Status);
        var redis = response.Document.GetProperty("dependencies").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "redis");
        Assert.Equal("down", redis.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Liveness_is_200_even_when_a_dependency_is_down()
    {
        var environment = await AuthTestApp.NewEnvironmentAsync();
        environment = environment with { Servers = environment.Servers with { Redis = "127.0.0.1:1" } };
        await using var app = await AuthTestApp.StartAsync(environment);

        var response = await app.Host.SendAsync("GET", "health/live");

        Assert.Equal(200, response.Status);
        Assert.Equal("alive", response.Document.GetProperty("status").GetString());
    }
}
