using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Testcontainers.MongoDb;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;
using Xunit;

namespace Shop.Testing.Infrastructure;

/// <summary>
/// Finds the servers for the integration tests, in this order: connection strings from SHOP_TEST_* environment
/// variables; Testcontainers where a Docker engine answers; the local servers of scripts/servers.sh when their binaries
/// are installed; otherwise the tests are skipped with a message saying how to run them (or fail, when
/// SHOP_REQUIRE_SERVERS=1, as in CI).
/// </summary>
public static class Servers
{
    private static readonly Lazy<Task<ServerEndpoints?>> s_endpoints = new(FindAsync);

    public const string HowToRun = "Run `bash scripts/test.sh` (starts local servers), or set SHOP_TEST_MONGODB_URI, SHOP_TEST_REDIS, " +
        "SHOP_TEST_RABBITMQ_URI and SHOP_TEST_AZURITE, or start a Docker engine for Testcontainers.";

    public static bool Required => Environment.GetEnvironmentVariable("SHOP_REQUIRE_SERVERS") == "1";

    /// <summary>The endpoints, or a skip (a failure when servers are required) when none can be found.</summary>
    public static async Task<ServerEndpoints> RequireAsync()
    {
        var endpoints = await s_endpoints.Value;
        if (endpoints is null)
        {
            if (Required)
            {
                throw new InvalidOperationException("SHOP_REQUIRE_SERVERS=1 but no test servers were found. " + HowToRun);
            }

            Skip.If(true, "No test servers. " + HowToRun);
        }

        return endpoints!;
    }

    private static async Task<ServerEndpoints?> FindAsync()
    {
        var endpoints = FromEnvironment() ?? await FromTestcontainersAsync() ?? await FromLocalScriptsAsync();
        if (endpoints is not null)
        {
            Console.WriteLine($"[shop-tests] servers from {endpoints.Source}; MongoDB: {endpoints.MongoKind} at {endpoints.MongoUri}");
        }

        return endpoints;
    }

    private static ServerEndpoints? FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var mongo = read("SHOP_TEST_MONGODB_URI");
        var redis = read("SHOP_TEST_REDIS");
        var rabbit = read("SHOP_TEST_RABBITMQ_URI");
        var azurite = read("SHOP_TEST_AZURITE");
        if (mongo is null || redis is null || rabbit is null || azurite is null)
        {
            return null;
        }

        return new ServerEndpoints(mongo, read("SHOP_TEST_MONGODB_KIND") ?? "mongodb", redis, rabbit, azurite, "environment variables");
    }

    private static async Task<ServerEndpoints?> FromTestcontainersAsync()
    {
        if (!DockerAnswers())
        {
            return null;
        }

        try
        {
            var mongo = new MongoDbBuilder("mongo:8.0").Build();
            var redis = new RedisBuilder("redis:7.4").Build();
            var rabbit = new RabbitMqBuilder("rabbitmq:4.1-management").Build();
            var azurite = new ContainerBuilder("mcr.microsoft.com/azure-storage/azurite:3.35.0")
                .WithPortBinding(10000, true).WithPortBinding(10001, true).WithPortBinding(10002, true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(10000))
                .Build();
            await Task.WhenAll(mongo.StartAsync(), redis.StartAsync(), rabbit.StartAsync(), azurite.StartAsync());
            return new ServerEndpoints(mongo.GetConnectionString(), "mongodb", redis.GetConnectionString(), rabbit.GetConnectionString(),
                AzuriteConnectionString(azurite), "Testcontainers");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Console.WriteLine($"[shop-tests] Docker answered but Testcontainers failed: {exception.Message}");
            return null;
        }
    }

    private static string AzuriteConnectionString(IContainer azurite)
    {
        string Endpoint(string service, int port) =>
            $"{service}Endpoint=http://{azurite.Hostname}:{azurite.GetMappedPublicPort(port)}/devstoreaccount1;";
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteAccountKey + ";"
            + Endpoint("Blob", 10000) + Endpoint("Queue", 10001) + Endpoint("Table", 10002);
    }

    /// <summary>Azurite's published, well-known development key (not a secret).</summary>
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static bool DockerAnswers() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");

    private static async Task<ServerEndpoints?> FromLocalScriptsAsync()
    {
        var root = LocalServers.RepositoryRoot();
        var script = root is null ? null : Path.Combine(root, "scripts", "servers.sh");
        if (script is null || !File.Exists(script) || !OnPath("redis-server"))
        {
            return null;
        }

        try
        {
            await LocalServers.RunAsync("start");
        }
        catch (InvalidOperationException exception)
        {
            Console.WriteLine($"[shop-tests] {exception.Message}");
            return null;
        }

        var env = ReadEnvFile(Path.Combine(root!, ".servers", "env"));
        var endpoints = FromEnvironment(name => env.GetValueOrDefault(name));
        return endpoints is null ? null : endpoints with { Source = "scripts/servers.sh (local binaries)" };
    }

    /// <summary>The variables of an env file of <c>export NAME="value"</c> lines, as scripts/servers.sh writes .servers/env.</summary>
    public static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim().Trim('"', '\''), StringComparer.Ordinal);

    private static bool OnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, binary)));
}
