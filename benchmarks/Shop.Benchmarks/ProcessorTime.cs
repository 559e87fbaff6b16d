using System.Diagnostics;

namespace Shop.Benchmarks;

/// <summary>
/// CPU time spent by this process and by a server of scripts/servers.sh (read from its pid file), so a figure can say
/// which side of a request a throughput is bound by.
/// </summary>
internal sealed class ProcessorTime
{
    private readonly Process? _server;
    private TimeSpan _serverStart;
    private TimeSpan _clientStart;

    private ProcessorTime(Process? server) => _server = server;

    public bool KnowsServer => _server is not null;

    /// <summary>The server named like its pid file in .servers/run (e.g. congodb, redis), when this checkout runs it.</summary>
    public static ProcessorTime For(string server)
    {
        var root = Shop.Testing.RepositoryRoot.Find();
        var pidFile = root is null ? null : Path.Combine(root, ".servers", "run", server + ".pid");
        if (pidFile is null || !File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            return new ProcessorTime(null);
        }

        try
        {
            var process = Process.GetProcessById(pid);
            _ = process.TotalProcessorTime;
            return new ProcessorTime(process);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return new ProcessorTime(null);
        }
    }

    public void Start()
    {
        _server?.Refresh();
        _serverStart = _server?.TotalProcessorTime ?? TimeSpan.Zero;
        _clientStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    /// <summary>CPU microseconds per operation since <see cref="Start"/>: (server, this process).</summary>
    public (double Server, double Client) PerOperation(int operations)
    {
        _server?.Refresh();
        var server = (_server?.TotalProcessorTime ?? TimeSpan.Zero) - _serverStart;
        var client = Process.GetCurrentProcess().TotalProcessorTime - _clientStart;
        return (server.TotalMicroseconds / operations, client.TotalMicroseconds / operations);
    }
}
