using Shop.Testing.Infrastructure;

namespace Shop.Testing.Gateway;

/// <summary>SHOP_TEST_* variables from the environment, else from the .servers/env file scripts/servers.sh writes.</summary>
public static class ServerVariables
{
    public static Func<string, string?> Reader()
    {
        var root = RepositoryRoot.Find();
        var file = root is null ? null : Path.Combine(root, ".servers", "env");
        var fromFile = file is not null && File.Exists(file) ? Servers.ReadEnvFile(file) : [];
        return name => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fromFile.GetValueOrDefault(name);
    }
}
