using Shop.Testing.Gateway;

namespace Shop.IntegrationTests.Gateway;

/// <summary>The three apps behind one gateway for a test class, started inside the first test (a missing server is a skip).</summary>
public sealed class ShopGatewayFixture : IAsyncLifetime
{
    private Task<ShopGateway>? _gateway;

    public Task<ShopGateway> GatewayAsync() => _gateway ??= StartAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_gateway is { IsCompletedSuccessfully: true })
        {
            await (await _gateway).DisposeAsync();
        }
    }

    private static async Task<ShopGateway> StartAsync()
    {
        var servers = await Servers.RequireAsync();
        return await ShopGateway.StartAsync(new ShopGatewayOptions(new GatewayServers(servers.MongoUri, servers.Redis, servers.RabbitMqUri)));
    }
}
