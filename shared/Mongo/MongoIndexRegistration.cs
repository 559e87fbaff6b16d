using Microsoft.Extensions.DependencyInjection;

namespace Shop.Shared.Mongo;

public static class MongoIndexRegistration
{
    /// <summary>Registers a store as a singleton whose indexes are created at start.</summary>
    public static IServiceCollection AddMongoStore<TStore>(this IServiceCollection services)
        where TStore : class, IHasIndexes
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<IHasIndexes>(sp => sp.GetRequiredService<TStore>());
        return services;
    }
}
