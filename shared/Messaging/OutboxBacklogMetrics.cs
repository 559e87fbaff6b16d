using Microsoft.Extensions.Logging;
using Shop.Shared.Observability;

namespace Shop.Shared.Messaging;

/// <summary>
/// shop_outbox_backlog and shop_outbox_oldest_unsent_age_seconds, read from the outbox when Prometheus scrapes (two
/// indexed queries per scrape, none between scrapes). While MongoDB does not answer, the last values stay.
/// </summary>
public sealed class OutboxBacklogMetrics(OutboxRelay relay, ShopMetrics metrics, ILogger<OutboxBacklogMetrics> logger) : IRefreshOnScrape
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(3);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_deadline);
        try
        {
            var backlog = await relay.GetBacklogAsync(deadline.Token);
            metrics.OutboxBacklog(backlog.Count, backlog.OldestAge);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Reading the outbox backlog for metrics failed, keeping the last values: {Error}", exception.GetType().Name);
        }
    }
}
