using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Shop.Contracts.Events;
using Shop.Contracts.Reservations;
using Shop.Products.Catalog;
using Shop.Shared.Http;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;
using Shop.Shared.Time;

namespace Shop.Products.Reservations;

/// <summary>
/// All-or-nothing stock reservations for orders, idempotent per order id. Stock is never checked and then taken:
/// every decrement is one conditional update, so concurrent orders can never oversell.
/// </summary>
public sealed class ReservationService(
    ReservationStore reservations,
    StockLedger stock,
    CatalogStore catalog,
    ProductCache cache,
    IOutbox outbox,
    IOptions<ProductOptions> options,
    ProductMetrics metrics,
    TimeProvider time,
    ILogger<ReservationService> logger)
{
    public async Task<ReservationView> ReserveAsync(ReserveRequest request, CancellationToken cancellationToken)
    {
        var orderId = request.OrderId!;
        var requested = Merge(request.Items!);
        var hash = HashOf(requested);
        if (requested.Count == 1)
        {
            return await ReserveOneAsync(orderId, requested[0], hash);
        }

        // Plainly short stock is answered from one read and one insert, without taking a lease or touching a product:
        // nothing of this order can be held yet (stock is only ever taken after the reservation document exists), and
        // the stored rejection makes every retry answer the same. The insert fails when a reservation or a release
        // tombstone exists; then the stored one answers.
        var shortfall = await stock.FindShortfallAsync(requested, cancellationToken);
        var unclaimed = shortfall is null
            ? Record(orderId, ReservationStatus.Pending, hash, requested)
            : Record(orderId, ReservationStatus.Rejected, hash, requested) with { RejectionReason = shortfall.Reason, RejectedProductId = shortfall.ProductId };
        return await ClaimAsync(unclaimed, cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="unclaimed"/> (a Pending one with a lease, and then makes it; a Rejected one as the answer),
    /// or settles with the reservation stored for the order: its answer, or, while it is Pending, a wait for it that
    /// ends in its answer, in a 409 in-progress, or, once its lease ran out, in resuming it.
    /// </summary>
    private async Task<ReservationView> ClaimAsync(Reservation unclaimed, CancellationToken cancellationToken)
    {
        var claim = await reservations.Claims.ClaimAsync(
            lease => unclaimed.Status == ReservationStatus.Pending ? unclaimed with { LockToken = lease.Token, LockedUntil = lease.Until } : unclaimed,
            (stored, _) => Judge(stored, unclaimed.RequestHash),
            options.Value.ReservationLease,
            options.Value.DuplicateWait,
            cancellationToken);
        var reservation = claim.Document;
        switch (claim.Outcome)
        {
            case ClaimOutcome.Busy:
                throw InProgress();
            case ClaimOutcome.Claimed when !claim.TookOver && reservation.Status == ReservationStatus.Rejected:
                throw ReportRejection(reservation.OrderId, reservation.RejectionReason!, reservation.RejectedProductId!);
            case ClaimOutcome.Claimed when !claim.TookOver:
                return await ExecuteAsync(reservation, resumed: false, cancellationToken);

            // A take-over can land just as the holder decided the reservation: then nothing is resumed, the decision answers.
            case ClaimOutcome.Claimed when reservation.Status == ReservationStatus.Pending:
                logger.LogWarning("Resuming reservation {OrderId} after its previous attempt's lease expired", reservation.OrderId);
                return await ExecuteAsync(reservation, resumed: true, cancellationToken);
            default:
                return Answer(reservation, unclaimed.RequestHash);
        }
    }

    /// <summary>Only a Pending reservation of this very request is still to be made; any other stored one is the answer.</summary>
    private static ExistingClaim Judge(Reservation stored, string hash) =>
        stored.RequestHash == hash && stored.Status == ReservationStatus.Pending ? ExistingClaim.InProgress : ExistingClaim.Answers;

    /// <summary>
    /// One item in two round trips: the product's conditional take (which says why when it does not take), then the
    /// reservation written once, already decided. The product's marker <c>reservedFor.{orderId}</c> is the record of
    /// the take between the two: a retry after a crash finds it and writes the missing reservation, and a release
    /// that finds no reservation looks for markers (<see cref="ReleaseAsync"/>). A reservation or tombstone written
    /// first wins: whatever this attempt took for it is given back, and the stored one answers.
    /// </summary>
    private async Task<ReservationView> ReserveOneAsync(string orderId, RequestedItem item, string hash)
    {
        // The work must finish once started, even if the caller goes away: a take without its reservation would hold
        // stock until a retry or a release comes.
        var work = CancellationToken.None;
        var take = await stock.TakeAsync(item.ProductId, orderId, item.Quantity, work);
        switch (take.Outcome)
        {
            case StockTakeOutcome.Taken:
                return await RecordTakeAsync(orderId, item, hash, take.After!, work);

            case StockTakeOutcome.AlreadyHeld when take.HeldQuantity != item.Quantity:
                throw Mismatch();

            case StockTakeOutcome.AlreadyHeld:
                var stored = await reservations.FindAsync(orderId, work);
                if (stored is null)
                {
                    // The attempt that took it stopped before writing the reservation, or is writing it right now.
                    return await RecordTakeAsync(orderId, item, hash, take.Before!, work);
                }

                if (stored.Status == ReservationStatus.Released
                    || (stored.RequestHash == hash && stored.Status is ReservationStatus.Rejected or ReservationStatus.Committed))
                {
                    // Stock taken after the reservation ended, or after a release tombstone (which names no items), by
                    // an attempt that then stopped before giving it back.
                    await GiveBackAsync(orderId, [item], work);
                    await cache.EvictAsync([item.ProductId], work);
                }

                return await StoredAnswerAsync(stored, hash, work);

            default:
                var reason = take.Outcome == StockTakeOutcome.UnknownProduct ? RejectionReasons.UnknownProduct : RejectionReasons.InsufficientStock;
                return await ClaimAsync(Record(orderId, ReservationStatus.Rejected, hash, [item]) with { RejectionReason = reason, RejectedProductId = item.ProductId }, work);
        }
    }

    /// <param name="product">The product with this order's take applied: its name and price are what the order pays.</param>
    private async Task<ReservationView> RecordTakeAsync(string orderId, RequestedItem item, string hash, Product product, CancellationToken work)
    {
        await PublishIfLowAsync(product, work);
        var reserved = Record(orderId, ReservationStatus.Reserved, hash, [item]) with
        {
            Items = [new ReservedItem(product.Id, item.Quantity, product.Name, product.Price, product.Currency)],
        };
        var inserted = await reservations.TryInsertAsync(reserved, work);
        await cache.EvictAsync([item.ProductId], work);
        if (inserted)
        {
            metrics.Reservation("reserved");
            logger.LogInformation("Reserved 1 item for order {OrderId}", orderId);
            return reserved.ToView();
        }

        var stored = await reservations.FindAsync(orderId, work) ?? throw InProgress();
        // Only a record of this very take (a concurrent duplicate that saw the marker, or a lease holder of an older
        // Pending reservation that will count it) may keep it; anything else means the take must be undone.
        if (stored.RequestHash != hash || stored.Status is not (ReservationStatus.Reserved or ReservationStatus.Pending))
        {
            await GiveBackAsync(orderId, [item], work);
            await cache.EvictAsync([item.ProductId], work);
        }

        return await StoredAnswerAsync(stored, hash, work);
    }

    public async Task ReleaseAsync(string orderId, CancellationToken cancellationToken)
    {
        var existing = await reservations.FindAsync(orderId, cancellationToken);
        if (existing is null or { Status: ReservationStatus.Pending })
        {
            // With no reservation, a tombstone: a reserve request that arrives after this release (a late retry) must
            // not keep stock. A Pending one is released only by taking its lease once it ran out; no waiting for it.
            var claim = await reservations.Claims.ClaimAsync(
                _ => Record(orderId, ReservationStatus.Released, "", []),
                (stored, _) => stored.Status == ReservationStatus.Pending ? ExistingClaim.InProgress : ExistingClaim.Answers,
                options.Value.ReservationLease,
                wait: TimeSpan.Zero,
                cancellationToken);
            switch (claim.Outcome)
            {
                case ClaimOutcome.Busy:
                    throw InProgress();
                case ClaimOutcome.Claimed when !claim.TookOver:
                    await GiveBackOrphansAsync(orderId, cancellationToken);
                    return;
            }

            existing = claim.Document;
        }

        switch (existing.Status)
        {
            case ReservationStatus.Released or ReservationStatus.Rejected:
                await GiveBackOrphansAsync(orderId, cancellationToken);
                return;
            case ReservationStatus.Committed:
                throw Conflict(RejectionReasons.Committed, "The order completed; its stock is sold and cannot be released.");
        }

        await GiveBackAsync(orderId, existing.Requested, cancellationToken);
        await reservations.TryTransitionAsync(orderId, existing.Status, Builders<Reservation>.Update
            .Set(r => r.Status, ReservationStatus.Released)
            .Set(r => r.UpdatedAt, time.UtcNow()), cancellationToken);
        await cache.EvictAsync(existing.Requested.Select(i => i.ProductId), cancellationToken);
        metrics.Reservation("released");
        logger.LogInformation("Released reservation {OrderId}", orderId);
    }

    public async Task CommitAsync(string orderId, CancellationToken cancellationToken)
    {
        var existing = await reservations.FindAsync(orderId, cancellationToken) ?? throw Problems.NotFound("No reservation for this order.");
        switch (existing.Status)
        {
            case ReservationStatus.Committed:
                return;
            case not ReservationStatus.Reserved:
                throw Conflict(RejectionReasons.NotReserved, $"The reservation is {existing.Status} and cannot be committed.");
        }

        foreach (var item in existing.Items)
        {
            await stock.SettleAsync(item.ProductId, orderId, cancellationToken);
        }

        await reservations.TryTransitionAsync(orderId, ReservationStatus.Reserved, Builders<Reservation>.Update
            .Set(r => r.Status, ReservationStatus.Committed)
            .Set(r => r.UpdatedAt, time.UtcNow()), cancellationToken);
        metrics.Reservation("committed");
        logger.LogInformation("Committed reservation {OrderId}", orderId);
    }

    /// <summary>The stored reservation's answer; one of this request still Pending is waited for, or resumed (<see cref="ClaimAsync"/>).</summary>
    private async Task<ReservationView> StoredAnswerAsync(Reservation stored, string hash, CancellationToken cancellationToken) =>
        Judge(stored, hash) == ExistingClaim.Answers
            ? Answer(stored, hash)
            : await ClaimAsync(Record(stored.OrderId, ReservationStatus.Pending, hash, stored.Requested), cancellationToken);

    private static ReservationView Answer(Reservation stored, string hash) => stored switch
    {
        _ when stored.RequestHash != hash => throw Mismatch(),
        { Status: ReservationStatus.Reserved or ReservationStatus.Committed } => stored.ToView(),
        { Status: ReservationStatus.Rejected } => throw Rejection(stored),
        { Status: ReservationStatus.Released } => throw Conflict(RejectionReasons.ReservationReleased, "This order's reservation was released; use a new order id."),
        _ => throw InProgress(),
    };

    /// <param name="resumed">True when an earlier attempt of this order may have taken stock before it died.</param>
    private async Task<ReservationView> ExecuteAsync(Reservation reservation, bool resumed, CancellationToken cancellationToken)
    {
        // The stock work must finish once started, even if the caller goes away: a half-done reservation would
        // otherwise hold stock until its lease expires and someone retries.
        var work = CancellationToken.None;
        var taken = new List<ReservedItem>();
        foreach (var item in reservation.Requested)
        {
            var product = await stock.TryTakeAsync(item.ProductId, reservation.OrderId, item.Quantity, work);
            if (product is null)
            {
                // Either an earlier attempt of this order took it (resume after a crash) or there is not enough.
                var current = await catalog.FindAsync(item.ProductId, work);
                if (current is null || !current.ReservedFor.ContainsKey(reservation.OrderId))
                {
                    var reason = current is null ? RejectionReasons.UnknownProduct : RejectionReasons.InsufficientStock;
                    return await RejectAsync(reservation, resumed ? reservation.Requested : Held(taken), item.ProductId, reason, work);
                }

                product = current;
            }

            taken.Add(new ReservedItem(product.Id, item.Quantity, product.Name, product.Price, product.Currency));
            await PublishIfLowAsync(product, work);
        }

        if (taken.Select(i => i.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            return await RejectAsync(reservation, resumed ? reservation.Requested : Held(taken), taken[^1].ProductId, RejectionReasons.MixedCurrencies, work);
        }

        var now = time.UtcNow();
        var moved = await reservations.TryTransitionAsync(reservation.OrderId, ReservationStatus.Pending, Builders<Reservation>.Update
            .Set(r => r.Status, ReservationStatus.Reserved)
            .Set(r => r.Items, taken)
            .Set(r => r.UpdatedAt, now), work);
        await cache.EvictAsync(taken.Select(i => i.ProductId), work);
        if (moved)
        {
            metrics.Reservation("reserved");
            logger.LogInformation("Reserved {ItemCount} items for order {OrderId}", taken.Count, reservation.OrderId);
            return (reservation with { Status = ReservationStatus.Reserved, Items = taken, UpdatedAt = now }).ToView();
        }

        // Only a worker that took the lease over after ours ran out can have moved it on: trust what it decided.
        var stored = await reservations.FindAsync(reservation.OrderId, work);
        return stored?.Status is ReservationStatus.Reserved or ReservationStatus.Committed
            ? stored.ToView()
            : throw Conflict(RejectionReasons.ReservationReleased, "This order's reservation was released while it was being made; use a new order id.");
    }

    /// <param name="held">What this order may hold: on a first attempt exactly what it took, after a crash everything.</param>
    private async Task<ReservationView> RejectAsync(
        Reservation reservation, IReadOnlyList<RequestedItem> held, string productId, string reason, CancellationToken cancellationToken)
    {
        await GiveBackAsync(reservation.OrderId, held, cancellationToken);
        await reservations.TryTransitionAsync(reservation.OrderId, ReservationStatus.Pending, Builders<Reservation>.Update
            .Set(r => r.Status, ReservationStatus.Rejected)
            .Set(r => r.RejectionReason, reason)
            .Set(r => r.RejectedProductId, productId)
            .Set(r => r.UpdatedAt, time.UtcNow()), cancellationToken);
        if (held.Count > 0)
        {
            await cache.EvictAsync(held.Select(i => i.ProductId), cancellationToken);
        }

        throw ReportRejection(reservation.OrderId, reason, productId);
    }

    private Reservation Record(string orderId, ReservationStatus status, string hash, IReadOnlyList<RequestedItem> requested)
    {
        var now = time.UtcNow();
        return new Reservation { OrderId = orderId, Status = status, RequestHash = hash, Requested = requested, CreatedAt = now, UpdatedAt = now };
    }

    private static List<RequestedItem> Held(IEnumerable<ReservedItem> taken) => [.. taken.Select(i => new RequestedItem(i.ProductId, i.Quantity))];

    private ProblemException ReportRejection(string orderId, string reason, string productId)
    {
        metrics.Reservation(reason.Replace('-', '_'));
        logger.LogInformation("Rejected reservation {OrderId}: {Reason} for product {ProductId}", orderId, reason, productId);
        return Rejection(reason, productId);
    }

    private async Task GiveBackAsync(string orderId, IEnumerable<RequestedItem> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            await stock.GiveBackAsync(item.ProductId, orderId, item.Quantity, cancellationToken);
        }
    }

    /// <summary>
    /// Stock an ended reservation still holds: a one-item take whose attempt stopped before writing the reservation
    /// leaves only the product's marker, so a release that finds no reservation (or an ended one) looks for markers.
    /// </summary>
    private async Task GiveBackOrphansAsync(string orderId, CancellationToken cancellationToken)
    {
        var held = await stock.FindHeldAsync(orderId, cancellationToken);
        if (held.Count == 0)
        {
            return;
        }

        await GiveBackAsync(orderId, held, cancellationToken);
        await cache.EvictAsync(held.Select(i => i.ProductId), cancellationToken);
        logger.LogWarning("Gave back {ItemCount} items that ended reservation {OrderId} still held", held.Count, orderId);
    }

    private async Task PublishIfLowAsync(Product product, CancellationToken cancellationToken)
    {
        if (product.Stock >= options.Value.LowStockThreshold)
        {
            return;
        }

        await outbox.AddAsync(IntegrationEvent.Create(
            ProductEventTypes.StockLowIdFor(product.Id, product.Version),
            ProductEventTypes.StockLow,
            new StockLowData(product.Id, product.Sku, product.Stock, options.Value.LowStockThreshold),
            time.UtcNow()), cancellationToken);
    }

    private static List<RequestedItem> Merge(IEnumerable<ReserveItemRequest> items) =>
        [.. items
            .GroupBy(i => i.ProductId!, StringComparer.Ordinal)
            .Select(g => new RequestedItem(g.Key, g.Sum(i => i.Quantity!.Value)))
            .OrderBy(i => i.ProductId, StringComparer.Ordinal)];

    internal static string HashOf(IEnumerable<RequestedItem> items) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join(";", items.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.ProductId}x{i.Quantity}"))))));

    private static ProblemException Rejection(Reservation reservation) =>
        Rejection(reservation.RejectionReason ?? RejectionReasons.InsufficientStock, reservation.RejectedProductId);

    private static ProblemException Rejection(string reason, string? productId) =>
        new(new Problem(Problems.Type(reason), "The reservation was rejected.", 409,
            reason == RejectionReasons.InsufficientStock ? "Not enough stock for every item; nothing was reserved." : $"Nothing was reserved: {reason}.")
        {
            Extensions = new Dictionary<string, object?> { ["productId"] = productId, [RejectionReasons.ProblemMember] = reason },
        });

    private static ProblemException Mismatch() =>
        Conflict(RejectionReasons.ReservationMismatch, "This order id was already used to reserve other items.");

    private static ProblemException InProgress() =>
        WithReason(Problems.InProgress(RejectionReasons.InProgress, "The reservation is in progress.",
            "Another attempt for this order is still working; retry shortly.", TimeSpan.FromSeconds(1)), RejectionReasons.InProgress);

    private static ProblemException Conflict(string reason, string detail) => WithReason(Problems.Conflict(reason, detail), reason);

    /// <summary>Every 409 of this API names its reason in the member the contract reads, not only in the type URL.</summary>
    private static ProblemException WithReason(ProblemException exception, string reason) =>
        new(exception.Problem with { Extensions = new Dictionary<string, object?> { [RejectionReasons.ProblemMember] = reason } });
}
