using MongoDB.Driver;
using Shop.Contracts.Reservations;
using Shop.Shared.Mongo;

namespace Shop.Products.Reservations;

public sealed class ReservationStore(IMongoDatabase database)
{
    public const string CollectionName = "reservations";

    private readonly IMongoCollection<Reservation> _reservations = database.GetCollection<Reservation>(CollectionName);

    public Task<Reservation?> FindAsync(string orderId, CancellationToken cancellationToken) =>
        _reservations.Find(r => r.OrderId == orderId).FirstOrDefaultAsync(cancellationToken)!;

    /// <summary>Inserts the reservation; false when one with this order id exists (the database decides, not a read).</summary>
    public Task<bool> TryInsertAsync(Reservation reservation, CancellationToken cancellationToken) =>
        _reservations.TryInsertOneAsync(reservation, cancellationToken);

    /// <summary>Takes over a Pending reservation whose previous worker's lease ran out.</summary>
    public async Task<bool> TryTakeLeaseAsync(string orderId, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        var result = await _reservations.UpdateOneAsync(
            r => r.OrderId == orderId && r.Status == ReservationStatus.Pending && r.LeaseUntil < now,
            Builders<Reservation>.Update.Set(r => r.LeaseUntil, leaseUntil),
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    /// <summary>Moves the reservation on only from the status the caller saw, so two workers cannot both decide.</summary>
    public async Task<bool> TryTransitionAsync(
        string orderId, ReservationStatus from, UpdateDefinition<Reservation> update, CancellationToken cancellationToken)
    {
        var result = await _reservations.UpdateOneAsync(
            Builders<Reservation>.Filter.Eq(r => r.OrderId, orderId) & Builders<Reservation>.Filter.Eq(r => r.Status, from),
            update,
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }
}
