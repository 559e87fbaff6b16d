using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using MongoDB.Driver.Core.Servers;
using Shop.Shared.Http;
using Shop.Shared.Mongo;

namespace Shop.UnitTests.Mongo;

public sealed class MongoRegistrationTests
{
    private static IMongoClient Client(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddShopMongo();
        return services.BuildServiceProvider().GetRequiredService<IMongoClient>();
    }

    [Fact]
    public void The_driver_polls_the_server_by_default_as_it_does_on_Azure_Functions()
    {
        var client = Client(new() { ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1" });

        Assert.Equal(ServerMonitoringMode.Poll, client.Settings.ServerMonitoringMode);
        Assert.Equal(TimeSpan.FromSeconds(5), client.Settings.ServerSelectionTimeout);
    }

    [Fact]
    public void The_monitoring_mode_comes_from_configuration()
    {
        var client = Client(new() { ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1", ["Mongo:ServerMonitoringMode"] = "Stream" });

        Assert.Equal(ServerMonitoringMode.Stream, client.Settings.ServerMonitoringMode);
    }

    [Fact]
    public void An_answer_that_never_comes_is_given_up_inside_the_request_deadline()
    {
        var client = Client(new() { ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1" });

        Assert.Equal(TimeSpan.FromSeconds(10), client.Settings.SocketTimeout);
        // A selection that fails plus one read that is cut still leave time to answer 503 before the request's 504.
        Assert.True(client.Settings.ServerSelectionTimeout + client.Settings.SocketTimeout < new RequestTimeoutOptions().Default);
    }

    [Fact]
    public void The_socket_timeout_comes_from_configuration()
    {
        var client = Client(new() { ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1", ["Mongo:SocketTimeout"] = "00:00:03" });

        Assert.Equal(TimeSpan.FromSeconds(3), client.Settings.SocketTimeout);
    }
}
