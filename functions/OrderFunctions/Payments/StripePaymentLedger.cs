using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;
using Shop.Shared.Mongo;
using Shop.Shared.Time;

namespace Shop.Orders.Payments;

/// <summary>
/// Which PaymentIntent belongs to which order (collection <c>stripePayments</c>, <c>_id</c> = order id). Capture and
/// compensation may come days after the authorisation, long after Stripe forgets the authorise request's idempotency
/// key (24 hours), so the intent's id is kept here rather than found again by replaying that request.
/// </summary>
public sealed class StripePaymentLedger(IMongoDatabase database, TimeProvider time)
{
    public const string CollectionName = "stripePayments";

    private readonly IMongoCollection<StripePaymentRecord> _records = database.GetCollection<StripePaymentRecord>(CollectionName);

    public Task<StripePaymentRecord?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        _records.Find(r => r.Id == orderId).FirstOrDefaultAsync(cancellationToken)!;

    /// <summary>Writes the intent's last known status; the first write creates the record, later ones update it.</summary>
    public async Task RecordAsync(string orderId, string paymentIntentId, string status, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var inserted = await _records.TryInsertOneAsync(
            new StripePaymentRecord { Id = orderId, PaymentIntentId = paymentIntentId, Status = status, UpdatedAt = now }, cancellationToken);
        if (!inserted)
        {
            await _records.UpdateOneAsync(
                r => r.Id == orderId,
                Builders<StripePaymentRecord>.Update.Set(r => r.Status, status).Set(r => r.UpdatedAt, now),
                cancellationToken: cancellationToken);
        }
    }
}

public sealed record StripePaymentRecord
{
    [BsonId]
    public required string Id { get; init; }

    public required string PaymentIntentId { get; init; }

    /// <summary>Stripe's PaymentIntent status as last seen: requires_capture, succeeded, canceled, ...</summary>
    public required string Status { get; init; }

    public required DateTime UpdatedAt { get; init; }
}
