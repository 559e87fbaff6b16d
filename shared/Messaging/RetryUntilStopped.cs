using Polly;
using Polly.Retry;

namespace Shop.Shared.Messaging;

/// <summary>
/// A Polly retry that never gives up on its own: it ends when the work returns or the caller's token is cancelled,
/// waiting <see cref="RetryBackoff"/>'s equal-jitter delay between tries (Polly's own jitter is decorrelated and may
/// fall close to zero; this keeps at least half of each delay, the shape the relay stores per event).
/// </summary>
public static class RetryUntilStopped
{
    /// <param name="onRetry">Called before each wait with the number of failures so far (1 for the first) and the error.</param>
    public static ResiliencePipeline Build(RetryBackoff backoff, TimeProvider time, Action<int, Exception> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(backoff.Next(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, args.Outcome.Exception!);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
