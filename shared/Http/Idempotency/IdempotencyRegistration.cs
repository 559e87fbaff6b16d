using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Shared.Mongo;

namespace Shop.Shared.Http.Idempotency;

public static class IdempotencyRegistration
{
    /// <summary>Idempotency-Key handling backed by the app's MongoDB; the app sets its policy on the options returned.</summary>
    public static OptionsBuilder<IdempotencyOptions> AddIdempotentRequests(this IServiceCollection services)
    {
        services.AddMongoStore<IdempotencyStore>();
        services.AddSingleton<IdempotentRequests>();
        return services.AddOptions<IdempotencyOptions>()
            .Validate(o => o.KeyLifetime >= TimeSpan.FromHours(24), "Idempotency keys must be remembered for at least 24 hours.")
            .Validate(o => o.Lease > TimeSpan.Zero && o.DuplicateWait >= TimeSpan.Zero, "The idempotency lease must be positive and the duplicate wait not negative.")
            .ValidateOnStart();
    }
}
