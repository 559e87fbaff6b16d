using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;
using Polly;
using Polly.Retry;

namespace Shop.Shared.Mongo;

/// <summary>
/// Creates every store's indexes at start, retrying with back-off: a database that is not up yet only delays this,
/// it never stops the app.
/// </summary>
public sealed class MongoIndexInitializer(IEnumerable<IHasIndexes> stores, TimeProvider time, ILogger<MongoIndexInitializer> logger)
    : BackgroundService
{
    public async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        foreach (var store in stores)
        {
            await store.EnsureIndexesAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await UntilIndexesExist().ExecuteAsync(token => new ValueTask(EnsureAllAsync(token)), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits 2 s, 4 s, 6 s ... up to 30 s between tries, for as long as the app runs.</summary>
    private ResiliencePipeline UntilIndexesExist() =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<MongoException>().Handle<TimeoutException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Linear,
                Delay = TimeSpan.FromSeconds(2),
                MaxDelay = TimeSpan.FromSeconds(30),
                UseJitter = false,
                OnRetry = args =>
                {
                    logger.LogWarning("Creating indexes failed (attempt {Attempt}): {Error}", args.AttemptNumber + 1, args.Outcome.Exception?.GetType().Name);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
