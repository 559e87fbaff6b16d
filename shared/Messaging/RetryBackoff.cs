using System.Diagnostics.CodeAnalysis;

namespace Shop.Shared.Messaging;

/// <summary>
/// Exponential back-off with "equal jitter": the n-th retry waits between half and all of
/// <c>min(max, base * 2^(n-1))</c>. The fixed half keeps a retry storm from collapsing to zero delay; the random half
/// spreads instances that failed together (for example during a broker outage) so they do not retry in lockstep.
/// Kept beside Polly because two delays are not loops Polly could run: the relay stores each event's next try in
/// MongoDB, and the consumer reads a message's attempt count from its header; <see cref="RetryUntilStopped"/> reuses
/// the same shape for in-process loops.
/// </summary>
public sealed class RetryBackoff
{
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly Random _random;

    public RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _random = random ?? Random.Shared;
    }

    /// <param name="failures">How many times the work has failed so far (1 for the first retry).</param>
    [SuppressMessage("Security", "CA5394", Justification = "Jitter only spreads retries; it needs no unpredictability.")]
    public TimeSpan Next(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var exponent = Math.Min(failures - 1, 62);
        var ceiling = Math.Min(_maxDelay.Ticks, _baseDelay.Ticks * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromTicks((long)(half + (half * _random.NextDouble())));
    }
}
