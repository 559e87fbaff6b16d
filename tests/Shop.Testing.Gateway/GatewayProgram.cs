using System.Runtime.InteropServices;

namespace Shop.Testing.Gateway;

/// <summary>
/// <c>[--port N] [--run ID] [--no-rate-limiting]</c>: the three apps behind the loopback gateway against the servers of
/// .servers/env (SHOP_TEST_* variables; the environment wins), until killed; prints the databases it uses and
/// <c>gateway: listening on http://127.0.0.1:N/</c>. An administrator is made with AuthFunctions' own operator command
/// against the printed auth database (scripts/smoke-gateway.sh shows how).
/// </summary>
public static class GatewayProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = GatewayArguments.Parse(args);
        if (arguments is null)
        {
            await Console.Error.WriteLineAsync(GatewayArguments.Usage);
            return 2;
        }

        var servers = GatewayServers.FromVariables(ServerVariables.Reader());
        if (servers is null)
        {
            await Console.Error.WriteLineAsync("gateway: no servers: start them with `bash scripts/servers.sh start` (writes .servers/env) or set SHOP_TEST_MONGODB_URI, SHOP_TEST_REDIS and SHOP_TEST_RABBITMQ_URI");
            return 2;
        }

        var options = new ShopGatewayOptions(servers) { Port = arguments.Port, RateLimiting = arguments.RateLimiting };
        options = arguments.RunId is null ? options : options with { RunId = arguments.RunId };
        return await ServeAsync(options);
    }

    private static async Task<int> ServeAsync(ShopGatewayOptions options)
    {
        using var stop = new CancellationTokenSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        await using var gateway = await ShopGateway.StartAsync(options);
        Console.WriteLine($"gateway: run {options.RunId}; databases {string.Join(", ", ShopGateway.AppNames.Select(options.Database))}; " +
            $"rate limiting {(options.RateLimiting ? "on" : "off")}; MongoDB at {options.Servers.MongoUri}");
        Console.WriteLine($"gateway: listening on {gateway.BaseAddress}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true; // stop in order: the gateway, the Durable engine, the apps
            stop.Cancel();
        }
    }
}
