using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Shop.UnitTests.Shared;

/// <summary>
/// Fake time that reports every timer started on it, so a test waits for a back-off to begin (no sleeping), reads its
/// length, and moves time past it.
/// </summary>
public sealed class TimerRecordingTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<TimeSpan> _started = Channel.CreateUnbounded<TimeSpan>();

    public override DateTimeOffset GetUtcNow() => _time.GetUtcNow();

    public override long GetTimestamp() => _time.GetTimestamp();

    public override long TimestampFrequency => _time.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _time.CreateTimer(callback, state, dueTime, period);
        _started.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer started, waiting up to 10 s for one.</summary>
    public async Task<TimeSpan> NextTimerAsync() =>
        await _started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public void Advance(TimeSpan by) => _time.Advance(by);
}
