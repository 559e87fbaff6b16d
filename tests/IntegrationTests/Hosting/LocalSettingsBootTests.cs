using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Auth;
using Shop.Orders;
using Shop.Products;
using Shop.Shared.Hosting;
using Shop.Shared.Mongo;
using Shop.Testing.Dispatch;

namespace Shop.IntegrationTests.Hosting;

/// <summary>
/// `func start` from each app's local.settings.example.json: the app's real Program wiring (ShopApplication with the
/// app's registration, its DI and every ValidateOnStart check) over the example's values exported as Core Tools does.
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class LocalSettingsBootTests
{
    [SkippableFact]
    public async Task Auth_boots_from_the_example_settings_and_signs_up_logs_in_and_publishes_its_keys()
    {
        var servers = await AppEnvironment.NewAsync("boot_auth");
        using var environment = CoreToolsEnvironment.ExportExample("AuthFunctions", servers);
        using var host = Boot(ShopApplication.CreateBuilder([], AuthRegistration.AddAuth));
        await host.Services.GetRequiredService<MongoIndexInitializer>().EnsureAllAsync(CancellationToken.None);
        await using var app = FunctionTestHost.Over(host.Services, FunctionDispatcher.FunctionClassesOf(typeof(AuthRegistration).Assembly));
        var email = $"boot-{Guid.NewGuid():N}@example.com";

        var signUp = await app.SendAsync("POST", "auth/signup",
            new { email, password = "correct horse battery staple", displayName = "Boot" });
        var login = await app.SendAsync("POST", "auth/login",
            new { email, password = "correct horse battery staple" });
        var jwks = await app.SendAsync("GET", "auth/jwks");

        Assert.Equal("", environment.ExampleValues["Auth__SigningKeys__0__Kid"]);
        Assert.True(signUp.Status == 201, signUp.ToString());
        Assert.True(login.Status == 200, login.ToString());
        Assert.True(jwks.Status == 200, jwks.ToString());
        var key = Assert.Single(jwks.Document.GetProperty("keys").EnumerateArray());
        Assert.StartsWith("ephemeral-", key.GetProperty("kid").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Products_boots_from_the_example_settings_and_serves_its_catalog()
    {
        var servers = await AppEnvironment.NewAsync("boot_products");
        using var environment = CoreToolsEnvironment.ExportExample("ProductFunctions", servers);
        using var host = Boot(ShopApplication.CreateBuilder([], ProductRegistration.AddProducts));
        await using var app = FunctionTestHost.Over(host.Services, FunctionDispatcher.FunctionClassesOf(typeof(ProductRegistration).Assembly));

        var list = await app.SendAsync("GET", "products");

        Assert.Equal(200, list.Status);
        Assert.Empty(list.Document.GetProperty("items").EnumerateArray());
    }

    [SkippableFact]
    public async Task Orders_boots_from_the_example_settings_and_reaches_every_dependency()
    {
        var servers = await AppEnvironment.NewAsync("boot_orders");
        using var environment = CoreToolsEnvironment.ExportExample("OrderFunctions", servers);
        using var host = Boot(ShopApplication.CreateBuilder([], OrderRegistration.AddOrders));
        await using var app = FunctionTestHost.Over(host.Services, FunctionDispatcher.FunctionClassesOf(typeof(OrderRegistration).Assembly));

        var health = await app.SendAsync("GET", "health");

        Assert.True(health.Status == 200, health.ToString());
    }

    /// <summary>What the host's start does before it serves: every ValidateOnStart check, without the gRPC channel.</summary>
    private static IHost Boot(Microsoft.Azure.Functions.Worker.Builder.FunctionsApplicationBuilder builder)
    {
        var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        return host;
    }

    [SkippableFact]
    public async Task The_settings_local_settings_sh_writes_sign_with_a_kept_key_and_pair_the_internal_keys_of_orders_and_products()
    {
        var servers = await AppEnvironment.NewAsync("boot_generated");
        var directory = Directory.CreateTempSubdirectory("shop-local-settings-");
        try
        {
            await RunAsync("bash", Path.Combine(CoreToolsEnvironment.RepositoryRoot, "scripts", "local-settings.sh"), "--force", "--out", directory.FullName);
            string File(string app) => Path.Combine(directory.FullName, app, "local.settings.json");
            var orders = CoreToolsEnvironment.ReadRawValues(File("OrderFunctions"));

            TestResponse jwks;
            using (CoreToolsEnvironment.ExportFile(File("AuthFunctions"), servers))
            using (var host = Boot(ShopApplication.CreateBuilder([], AuthRegistration.AddAuth)))
            await using (var app = FunctionTestHost.Over(host.Services, FunctionDispatcher.FunctionClassesOf(typeof(AuthRegistration).Assembly)))
            {
                jwks = await app.SendAsync("GET", "auth/jwks");
            }

            TestResponse reserve;
            using (CoreToolsEnvironment.ExportFile(File("ProductFunctions"), servers))
            using (var host = Boot(ShopApplication.CreateBuilder([], ProductRegistration.AddProducts)))
            await using (var app = FunctionTestHost.Over(host.Services, FunctionDispatcher.FunctionClassesOf(typeof(ProductRegistration).Assembly)))
            {
                reserve = await app.SendAsync(
                    "POST", "internal/reservations",
                    new { orderId = "local-settings-check", items = new[] { new { productId = Shop.Shared.Http.Ids.New(), quantity = 1 } } },
                    headers: new Dictionary<string, string> { ["x-internal-key"] = orders["Internal__OutgoingApiKey"] });
            }

            var key = Assert.Single(jwks.Document.GetProperty("keys").EnumerateArray());
            Assert.StartsWith("dev-", key.GetProperty("kid").GetString(), StringComparison.Ordinal);
            Assert.NotEqual("", orders["Orders__ProductsFunctionKey"]);
            // Accepted: the reservation is refused for its unknown product, not for its key (401).
            Assert.True(reserve.Status is 404 or 409 or 422, reserve.ToString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
    }
}
