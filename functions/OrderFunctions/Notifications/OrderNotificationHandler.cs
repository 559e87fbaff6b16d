using Microsoft.Extensions.Logging;
using Shop.Contracts.Events;
using Shop.Shared.Messaging;
using Shop.Shared.Time;

namespace Shop.Orders.Notifications;

/// <summary>
/// Turns order events (the contract's <see cref="OrderEventData"/>) into customer notifications (stored; sending
/// e-mail would hang off the same record). Safe to run twice for one event: the notification's id is the event id.
/// </summary>
public sealed class OrderNotificationHandler(NotificationStore notifications, TimeProvider time, ILogger<OrderNotificationHandler> logger) : IEventHandler
{
    public async Task HandleAsync(ReceivedEvent e, CancellationToken ct)
    {
        var message = MessageFor(e.Type);
        if (message is null)
        {
            logger.LogInformation("No notification for event {EventId} of type {EventType}", e.Id, e.Type);
            return;
        }

        var data = e.DataAs<OrderEventData>();
        var added = await notifications.TryAddAsync(new Notification
        {
            EventId = e.Id,
            OrderId = data.OrderId,
            UserId = data.UserId,
            EventType = e.Type,
            Message = data.Reason is null ? message : $"{message} ({data.Reason})",
            OccurredAt = e.OccurredAt,
            CreatedAt = time.UtcNow(),
        }, ct);
        if (!added)
        {
            logger.LogInformation("Notification for event {EventId} exists already", e.Id);
        }
    }

    public static string? MessageFor(string eventType) => eventType switch
    {
        OrderEventTypes.Created => "We received your order.",
        OrderEventTypes.Paid => "Your payment was accepted.",
        OrderEventTypes.Confirmed => "Your order is confirmed.",
        OrderEventTypes.Shipped => "Your order is on its way.",
        OrderEventTypes.Completed => "Your order was delivered.",
        OrderEventTypes.Cancelled => "Your order was cancelled and refunded.",
        OrderEventTypes.Failed => "Your order could not be completed.",
        _ => null,
    };
}
