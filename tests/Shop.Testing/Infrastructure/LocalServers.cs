using System.Diagnostics;

namespace Shop.Testing.Infrastructure;

/// <summary>
/// Stops and starts, or pauses and resumes, one server of scripts/servers.sh (redis, rabbitmq, azurite, mongodb) for
/// outage tests, when that is the server the tests use.
/// </summary>
public static class LocalServers
{
    public static string? RepositoryRoot() => Shop.Testing.RepositoryRoot.Find();

    /// <summary>True when the tests' server is the one scripts/servers.sh runs (its env file names the same address).</summary>
    public static bool Controls(string variable, string address)
    {
        var root = RepositoryRoot();
        if (root is null || !File.Exists(Path.Combine(root, "scripts", "servers.sh")))
        {
            return false;
        }

        var env = Path.Combine(root, ".servers", "env");
        return File.Exists(env) && File.ReadAllLines(env).Any(line =>
            line.Contains(variable + "=", StringComparison.Ordinal) && line.Contains(address, StringComparison.Ordinal));
    }

    public static Task StopAsync(string server) => RunAsync("stop", server);

    public static Task StartAsync(string server) => RunAsync("start", server);

    /// <summary>SIGSTOP: the process stays alive and its port keeps accepting connections, but nothing is ever answered.</summary>
    public static Task PauseAsync(string server) => RunAsync("pause", server);

    public static Task ResumeAsync(string server) => RunAsync("resume", server);

    public static async Task RunAsync(params string[] arguments)
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
