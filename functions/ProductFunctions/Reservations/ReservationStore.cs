using MongoDB.Driver;
using Shop.Contracts.Reservations;
using Shop.Shared.Mongo;

namespace Shop.Products.Reservations;

public sealed class ReservationStore(IMongoDatabase database, TimeProvider time)
{
    public const string CollectionName = "reservations";

    private readonly IMongoCollection<Reservation> _reservations = database.GetCollection<Reservation>(CollectionName);

    /// <summary>Claims a Pending reservation's lease: who makes it, and who resumes it after a crash or releases it.</summary>
    public LeasedClaims<Reservation> Claims { get; } = new(database.GetCollection<Reservation>(CollectionName), time);

    public Task<Reservation?> FindAsync(string orderId, CancellationToken cancellationToken) => Claims.FindAsync(orderId, cancellationToken);

    /// <summary>Inserts the reservation; false when one with this order id exists (the database decides, not a read).</summary>
    public Task<bool> TryInsertAsync(Reservation reservation, CancellationToken cancellationToken) =>
        _reservations.TryInsertOneAsync(reservation, cancellationToken);

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
