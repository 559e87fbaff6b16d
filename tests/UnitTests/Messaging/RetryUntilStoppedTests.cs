using Moq;
using Shop.Shared.Messaging;
using Shop.UnitTests.Shared;

namespace Shop.UnitTests.Messaging;

public sealed class RetryUntilStoppedTests
{
    private readonly TimerRecordingTimeProvider _time = new();
    private readonly List<int> _reportedFailures = [];

    private static RetryBackoff FullDelays()
    {
        var random = new Mock<Random>();
        random.Setup(r => r.NextDouble()).Returns(1.0);
        return new RetryBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), random.Object);
    }

    private Polly.ResiliencePipeline Pipeline() =>
        RetryUntilStopped.Build(FullDelays(), _time, (failures, _) => _reportedFailures.Add(failures));

    [Fact]
    public async Task Failures_are_retried_after_doubling_delays_until_the_work_succeeds()
    {
        var calls = 0;
        var run = Pipeline().ExecuteAsync(_ => ++calls <= 3 ? throw new IOException("broker away") : ValueTask.CompletedTask).AsTask();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(await _time.NextTimerAsync());
            _time.Advance(waits[^1]);
        }

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([500, 1000, 2000], waits.Select(w => (int)w.TotalMilliseconds));
        Assert.Equal([1, 2, 3], _reportedFailures);
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task A_cancellation_that_is_not_the_stop_is_retried_like_any_failure()
    {
        var calls = 0;
        var run = Pipeline().ExecuteAsync(_ => ++calls == 1 ? throw new OperationCanceledException("connect timed out") : ValueTask.CompletedTask).AsTask();

        _time.Advance(await _time.NextTimerAsync());

        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Stopping_during_a_wait_ends_the_loop_without_another_try()
    {
        using var stopping = new CancellationTokenSource();
        var calls = 0;
        var run = Pipeline().ExecuteAsync(_ => { calls++; throw new IOException("broker away"); }, stopping.Token).AsTask();

        await _time.NextTimerAsync();
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, calls);
    }
}
