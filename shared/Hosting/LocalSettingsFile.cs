using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace Shop.Shared.Hosting;

/// <summary>
/// For commands run beside an app (<c>dotnet run -- grant-admin ...</c> in its folder): the <c>Values</c> of its
/// local.settings.json, which Core Tools would have exported as environment variables for <c>func start</c>, so a
/// command reads the same settings as the app. Real environment variables still win; empty values mean unset.
/// </summary>
public static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";

    public static void AddLocalSettingsValues(this IConfigurationBuilder configuration, string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        var values = Read(path);
        var environmentAt = configuration.Sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource)
            is var index and >= 0 ? index : configuration.Sources.Count;
        configuration.Sources.Insert(environmentAt, new MemoryConfigurationSource { InitialData = values });
    }

    public static Dictionary<string, string?> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in section.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.String))
            {
                var value = setting.Value.GetString();
                if (!string.IsNullOrWhiteSpace(value))
                {
                    values[setting.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
                }
            }
        }

        return values;
    }
}
