using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Shop.Products.Catalog;
using Shop.Shared.Http;
using Shop.Shared.Messaging;
using Shop.Shared.Observability;
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
    ShopMetrics metrics,
    TimeProvider time,
    ILogger<ReservationService> logger)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<ReservationView> ReserveAsync(ReserveRequest request, CancellationToken cancellationToken)
    {
        var orderId = request.OrderId!;
        var requested = Merge(request.Items!);
        var hash = HashOf(requested);
        var now = time.UtcNow();
        var fresh = new Reservation
        {
            OrderId = orderId,
            Status = ReservationStatus.Pending,
            RequestHash = hash,
            Requested = requested,
            LeaseUntil = now + options.Value.ReservationLease,
            CreatedAt = now,
            UpdatedAt = now,
        };

        // Plainly short stock is answered from one read and one insert, without taking a lease or touching a product:
        // nothing of this order can be held yet (stock is only ever taken after the reservation document exists), and
        // the stored rejection makes every retry answer the same. The insert fails when a reservation or a release
        // tombstone exists; then the stored one answers below.
        var shortfall = await stock.FindShortfallAsync(requested, cancellationToken);
        if (shortfall is not null)
        {
            var rejected = fresh with { Status = ReservationStatus.Rejected, RejectionReason = shortfall.Reason, RejectedProductId = shortfall.ProductId };
            if (await reservations.TryInsertAsync(rejected, cancellationToken))
            {
                throw ReportRejection(orderId, shortfall.Reason, shortfall.ProductId);
            }
        }
        else if (await reservations.TryInsertAsync(fresh, cancellationToken))
        {
            return await ExecuteAsync(fresh, resumed: false, cancellationToken);
        }

        var deadline = time.GetUtcNow() + options.Value.DuplicateWait;
        while (true)
        {
            var existing = await reservations.FindAsync(orderId, cancellationToken) ?? throw Problems.Conflict("reservation-in-progress", "Retry the reservation.");
            if (existing.RequestHash != hash)
            {
                throw Problems.Conflict("reservation-mismatch", "This order id was already used to reserve other items.");
            }

            switch (existing.Status)
            {
                case ReservationStatus.Reserved or ReservationStatus.Committed:
                    return ReservationView.From(existing);
                case ReservationStatus.Rejected:
                    throw Rejection(existing);
                case ReservationStatus.Released:
                    throw Problems.Conflict("reservation-released", "This order's reservation was released; use a new order id.");
            }

            var nowUtc = time.UtcNow();
            if (await reservations.TryTakeLeaseAsync(orderId, nowUtc, nowUtc + options.Value.ReservationLease, cancellationToken))
            {
                logger.LogWarning("Resuming reservation {OrderId} after its previous attempt's lease expired", orderId);
                return await ExecuteAsync(existing, resumed: true, cancellationToken);
            }

            if (time.GetUtcNow() > deadline)
            {
                throw InProgress();
            }

            await Task.Delay(s_pollInterval, time, cancellationToken);
        }
    }

    public async Task ReleaseAsync(string orderId, CancellationToken cancellationToken)
    {
        var existing = await reservations.FindAsync(orderId, cancellationToken);
        if (existing is null)
        {
            // A tombstone: a reserve request that arrives after this release (a late retry) must not take stock.
            var now = time.UtcNow();
            var tombstone = new Reservation
            {
                OrderId = orderId, Status = ReservationStatus.Released, RequestHash = "", Requested = [], CreatedAt = now, UpdatedAt = now,
            };
            if (await reservations.TryInsertAsync(tombstone, cancellationToken))
            {
                return;
            }

            existing = await reservations.FindAsync(orderId, cancellationToken) ?? throw InProgress();
        }

        switch (existing.Status)
        {
            case ReservationStatus.Released or ReservationStatus.Rejected:
                return;
            case ReservationStatus.Committed:
                throw Problems.Conflict("reservation-committed", "The order completed; its stock is sold and cannot be released.");
            case ReservationStatus.Pending:
                var now = time.UtcNow();
                if (!await reservations.TryTakeLeaseAsync(orderId, now, now + options.Value.ReservationLease, cancellationToken))
                {
                    throw InProgress();
                }

                break;
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
                throw Problems.Conflict("reservation-not-reserved", $"The reservation is {existing.Status} and cannot be committed.");
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
                    var reason = current is null ? StockShortfall.UnknownProduct : StockShortfall.InsufficientStock;
                    return await RejectAsync(reservation, resumed ? reservation.Requested : Held(taken), item.ProductId, reason, work);
                }

                product = current;
            }

            taken.Add(new ReservedItem(product.Id, item.Quantity, product.Name, product.Price, product.Currency));
            await PublishIfLowAsync(product, work);
        }

        if (taken.Select(i => i.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            return await RejectAsync(reservation, resumed ? reservation.Requested : Held(taken), taken[^1].ProductId, "mixed-currencies", work);
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
            return ReservationView.From(reservation with { Status = ReservationStatus.Reserved, Items = taken, UpdatedAt = now });
        }

        // Only a worker that took the lease over after ours ran out can have moved it on: trust what it decided.
        var stored = await reservations.FindAsync(reservation.OrderId, work);
        return stored?.Status is ReservationStatus.Reserved or ReservationStatus.Committed
            ? ReservationView.From(stored)
            : throw Problems.Conflict("reservation-released", "This order's reservation was released while it was being made; use a new order id.");
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

    private async Task PublishIfLowAsync(Product product, CancellationToken cancellationToken)
    {
        if (product.Stock >= options.Value.LowStockThreshold)
        {
            return;
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{product.Id}:product.stock_low:{product.Version}");
        await outbox.AddAsync(IntegrationEvent.Create(id, "product.stock_low",
            new { productId = product.Id, sku = product.Sku, stock = product.Stock, threshold = options.Value.LowStockThreshold },
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
        Rejection(reservation.RejectionReason ?? StockShortfall.InsufficientStock, reservation.RejectedProductId);

    private static ProblemException Rejection(string reason, string? productId) =>
        new(new Problem(Problems.Type(reason), "The reservation was rejected.", 409,
            reason == StockShortfall.InsufficientStock ? "Not enough stock for every item; nothing was reserved." : $"Nothing was reserved: {reason}.")
        {
            Extensions = new Dictionary<string, object?> { ["productId"] = productId, ["reason"] = reason },
        });

    private static ProblemException InProgress() =>
        Problems.InProgress("reservation-in-progress", "The reservation is in progress.",
            "Another attempt for this order is still working; retry shortly.", TimeSpan.FromSeconds(1));
}
