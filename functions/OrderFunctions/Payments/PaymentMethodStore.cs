using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;
using Shop.Shared.Mongo;

namespace Shop.Orders.Payments;

/// <summary>
/// The client's payment token (a sandbox token or a Stripe PaymentMethod id), kept server-side at placement so the
/// orchestration input, which the host's durable status API shows to anyone with the system key, carries only a
/// reference. Keyed by order id, so a redone placement stores nothing new.
/// </summary>
// A collection of its own rather than a field of the order: every view, list and event reads the order document, and
// none of them can leak what they never load.
public sealed class PaymentMethodStore(IMongoDatabase database)
{
    public const string CollectionName = "paymentMethods";

    private readonly IMongoCollection<StoredPaymentMethod> _methods = database.GetCollection<StoredPaymentMethod>(CollectionName);

    /// <returns>The opaque reference the orchestration carries instead of the token.</returns>
    public async Task<string> SaveAsync(string orderId, string token, DateTime at, CancellationToken cancellationToken)
    {
        await _methods.TryInsertOneAsync(new StoredPaymentMethod { Id = orderId, Token = token, CreatedAt = at }, cancellationToken);
        return orderId;
    }

    public async Task<string?> FindTokenAsync(string reference, CancellationToken cancellationToken) =>
        (await _methods.Find(m => m.Id == reference).FirstOrDefaultAsync(cancellationToken))?.Token;
}

public sealed record StoredPaymentMethod
{
    [BsonId]
    public required string Id { get; init; }

    public required string Token { get; init; }

    public required DateTime CreatedAt { get; init; }
}
