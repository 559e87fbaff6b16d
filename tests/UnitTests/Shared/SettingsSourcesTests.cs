using Microsoft.Extensions.Configuration;
using Shop.Shared.Hosting;

namespace Shop.UnitTests.Shared;

public sealed class SettingsSourcesTests
{
    [Fact]
    public void An_empty_environment_variable_is_unset_so_no_list_entry_appears_and_defaults_apply()
    {
        var prefix = "ShopUnit" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "Keys__0__Kid", " ");
        Environment.SetEnvironmentVariable(prefix + "Name", "kept");
        try
        {
            var builder = new ConfigurationBuilder().AddEnvironmentVariables(prefix);
            builder.TreatEmptyAsUnset();
            var configuration = builder.Build();

            Assert.Null(configuration["Keys:0:Kid"]);
            Assert.Empty(configuration.GetSection("Keys").GetChildren());
            Assert.Equal("kept", configuration["Name"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Keys__0__Kid", null);
            Environment.SetEnvironmentVariable(prefix + "Name", null);
        }
    }

    [Fact]
    public void Local_settings_values_are_read_with_double_underscores_as_sections_and_empty_values_left_out()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """
                { "IsEncrypted": false,
                  "Values": { "Mongo__Database": "shop-auth", "Auth__SigningKeys__0__Kid": "", "Metrics__Port": "9464" },
                  "Host": { "LocalHttpPort": 7071 } }
                """);

            var values = LocalSettingsFile.Read(file);

            Assert.Equal(new Dictionary<string, string?> { ["Mongo:Database"] = "shop-auth", ["Metrics:Port"] = "9464" }, values);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_command_reads_local_settings_under_the_real_environment_which_wins()
    {
        var directory = Directory.CreateTempSubdirectory("shop-local-settings-");
        var prefix = "ShopUnit" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "Mongo__ConnectionString", "mongodb://from-environment");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, LocalSettingsFile.FileName),
                """{ "Values": { "Mongo__ConnectionString": "mongodb://from-file", "Mongo__Database": "shop-auth" } }""");
            var builder = new ConfigurationBuilder().AddEnvironmentVariables(prefix);

            builder.AddLocalSettingsValues(directory.FullName);
            var configuration = builder.Build();

            Assert.Equal("mongodb://from-environment", configuration["Mongo:ConnectionString"]);
            Assert.Equal("shop-auth", configuration["Mongo:Database"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Mongo__ConnectionString", null);
            directory.Delete(recursive: true);
        }
    }
}
