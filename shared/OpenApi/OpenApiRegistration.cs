using Microsoft.Extensions.DependencyInjection;

namespace Shop.Shared.OpenApi;

public static class OpenApiRegistration
{
    /// <summary>The app's OpenAPI document, served by its own anonymous OpenApi function.</summary>
    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services, OpenApiApp app)
    {
        services.AddSingleton(app);
        services.AddSingleton<ServedOpenApiDocument>();
        return services;
    }
}
