using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Shared.Observability;

namespace Shop.Shared.Hosting;

/// <summary>Each app's Program in one call, so tests boot exactly the wiring the app runs with.</summary>
public static class ShopApplication
{
    public static FunctionsApplicationBuilder CreateBuilder(
        string[] args, Func<IServiceCollection, IConfiguration, IServiceCollection> addApp)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        // After the worker's own set-up, which adds the environment to configuration once more.
        builder.Configuration.TreatEmptyAsUnset();
        builder.AddShopDefaults();
        addApp(builder.Services, builder.Configuration);
        builder.Services.AddShopTracing(builder.Configuration, functionsWorker: true);
        return builder;
    }
}
