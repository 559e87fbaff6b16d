
namespace Shop.IntegrationTests.Hosting;

/// <summary>
/// An app's local.settings.example.json exported into this process's environment the way Core Tools does for
/// `func start`: every value of <c>Values</c> as an environment variable, empty strings included. Only the server
/// addresses are pointed at this run's servers (what scripts/local-settings.sh writes) and the metrics listener is
/// turned off; everything else is the example file as shipped. Restores the environment when disposed.
/// </summary>
public sealed class CoreToolsEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);

    private CoreToolsEnvironment(IReadOnlyDictionary<string, string> values)
    {
        foreach (var (name, value) in values)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value.Length == 0 ? EmptyValue : value);
        }
    }

    public IReadOnlyDictionary<string, string> ExampleValues { get; private init; } = new Dictionary<string, string>();

    /// <summary>
    /// On Linux .NET's SetEnvironmentVariable with "" removes the variable; Core Tools really sets it empty. A lone space
    /// is what an empty variable looks like through the configuration provider's trimming-free read: empty after Trim.
    /// </summary>
    private static string EmptyValue => " ";

    public static string RepositoryRoot =>
        LocalServers.RepositoryRoot() ?? throw new InvalidOperationException("Shop.sln not found above the test binaries.");

    /// <summary>The app's example file, pointed at this run's servers.</summary>
    public static CoreToolsEnvironment ExportExample(string app, AppEnvironment servers) =>
        ExportFile(Path.Combine(RepositoryRoot, "functions", app, "local.settings.example.json"), servers);

    /// <summary>A local.settings.json file, with this run's servers, database and Redis prefix.</summary>
    public static CoreToolsEnvironment ExportFile(string settingsFile, AppEnvironment servers)
    {
        var example = ReadRawValues(settingsFile);
        var values = new Dictionary<string, string>(example, StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = servers.Servers.AzuriteConnectionString,
            ["Mongo__ConnectionString"] = servers.Servers.MongoUri,
            ["Mongo__Database"] = servers.Database,
            ["Redis__Configuration"] = servers.Servers.Redis,
            ["Redis__KeyPrefix"] = servers.RedisPrefix,
            ["Metrics__Port"] = "0",
        };
        if (example.ContainsKey("RabbitMq__Uri"))
        {
            values["RabbitMq__Uri"] = servers.Servers.RabbitMqUri;
        }

        return new CoreToolsEnvironment(values) { ExampleValues = example };
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public static Dictionary<string, string> ReadRawValues(string path)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}
