using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Messaging;

/// <summary>Stops and starts the RabbitMQ node of scripts/servers.sh, when that is the broker the tests use.</summary>
public static class LocalBroker
{
    public static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>True when the tests' RabbitMQ is the one scripts/servers.sh runs (its env file names the same URI).</summary>
    public static bool Controls(ServerEndpoints servers)
    {
        var root = RepositoryRoot();
        if (root is null || !File.Exists(Path.Combine(root, "scripts", "servers.sh")))
        {
            return false;
        }

        var env = Path.Combine(root, ".servers", "env");
        return File.Exists(env) && File.ReadAllLines(env).Any(line =>
            line.Contains("SHOP_TEST_RABBITMQ_URI=", StringComparison.Ordinal) &&
            line.Contains(servers.RabbitMqUri, StringComparison.Ordinal));
    }

    public static Task StopAsync() => RunAsync("stop", "rabbitmq");

    public static Task StartAsync() => RunAsync("start", "rabbitmq");

    private static async Task RunAsync(params string[] arguments)
    {
        var root = RepositoryRoot() ?? throw new InvalidOperationException("Shop.sln not found above the test binaries.");
        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "servers.sh"), .. arguments])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await errors}");
        }
    }
}
