using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Products.Catalog;
using Shop.Products.Reservations;
using Shop.Shared.Caching;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;
using Shop.Shared.Observability;
using Shop.Shared.OpenApi;

namespace Shop.Products;

public static class ProductRegistration
{
    /// <summary>Everything ProductFunctions adds to the shared defaults.</summary>
    public static IServiceCollection AddProducts(this IServiceCollection services, IConfiguration configuration)
    {
        services.SetMetricsApp("products");
        services.AddOptions<ProductOptions>().Bind(configuration.GetSection(ProductOptions.Section));
        services.AddShopCache();
        services.AddCacheSerializer(CatalogCacheJson.Default.ProductView);
        services.AddCacheSerializer(CatalogCacheJson.Default.ProductPage);
        services.AddShopMessaging();
        services.AddMongoStore<CatalogStore>();
        services.AddSingleton<ProductMetrics>();
        services.AddSingleton<ProductCache>();
        services.AddSingleton<CatalogService>();
        services.AddSingleton<ReservationStore>();
        services.AddSingleton<StockLedger>();
        services.AddSingleton<ReservationService>();
        services.AddOpenApiDocument(OpenApiFunction.App);
        return services;
    }
}
