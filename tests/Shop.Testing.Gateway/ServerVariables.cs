namespace Shop.Testing.Gateway;

/// <summary>SHOP_TEST_* variables from the environment, else from the .servers/env file scripts/servers.sh writes.</summary>
public static class ServerVariables
{
    public static Func<string, string?> Reader()
    {
        var root = RepositoryRoot.Find();
        var file = root is null ? null : Path.Combine(root, ".servers", "env");
        var fromFile = file is not null && File.Exists(file) ? Read(file) : [];
        return name => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fromFile.GetValueOrDefault(name);
    }

    private static Dictionary<string, string> Read(string path) =>
        File.ReadAllLines(path)
            .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim().Trim('"', '\''), StringComparer.Ordinal);
}
