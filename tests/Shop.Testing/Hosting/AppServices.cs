using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Shared.Hosting;

namespace Shop.Testing.Hosting;

/// <summary>
/// An app's service provider as its Program builds it (AddShopDefaults' services, then the app's own Add&lt;App&gt;),
/// from in-memory settings, validated on build. Hosted services are not started: callers start what they need.
/// </summary>
public static class AppServices
{
    public static ServiceProvider Build(
        IEnumerable<KeyValuePair<string, string?>> settings,
        Action<IServiceCollection, IConfiguration> addApp,
        Action<IServiceCollection>? overrides = null,
        string environmentName = "Testing")
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            merged[key] = value; // later settings win, as a later configuration source would
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(merged).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostEnvironment>(new FixedHostEnvironment(environmentName));
        services.AddShopServices(configuration);
        addApp(services, configuration);
        overrides?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class FixedHostEnvironment(string environmentName) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "Shop.Testing";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
