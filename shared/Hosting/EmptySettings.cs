using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Shop.Shared.Hosting;

/// <summary>
/// An empty setting means "not set". Core Tools and the Functions host export a value left empty in
/// local.settings.json or in app settings as an empty environment variable, and the configuration binder would turn
/// <c>Auth__SigningKeys__0__Kid=""</c> into a signing key with an empty Kid, or an empty list entry into a value.
/// Every app reads its environment through <see cref="TreatEmptyAsUnset"/>, so a default applies instead.
/// </summary>
public static class EmptySettings
{
    public static void TreatEmptyAsUnset(this IConfigurationBuilder configuration)
    {
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is EnvironmentVariablesConfigurationSource environment)
            {
                configuration.Sources[i] = new NonEmptyEnvironmentVariablesSource(environment.Prefix);
            }
        }
    }

    private sealed class NonEmptyEnvironmentVariablesSource(string? prefix) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new NonEmptyEnvironmentVariablesProvider(prefix);
    }

    private sealed class NonEmptyEnvironmentVariablesProvider(string? prefix) : EnvironmentVariablesConfigurationProvider(prefix)
    {
        public override void Load()
        {
            base.Load();
            foreach (var key in Data.Where(setting => string.IsNullOrWhiteSpace(setting.Value)).Select(setting => setting.Key).ToList())
            {
                Data.Remove(key);
            }
        }
    }
}
