using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Shop.Benchmarks;

/// <summary>
/// The commands one multiplexer sends while counting, from StackExchange.Redis' own profiler. The session is the same
/// for every caller (not per async flow), so commands an app sends in the background while counting (a refill, a lease)
/// count as well: the count does not depend on where the app issues them.
/// </summary>
internal sealed class RedisCommandCounter
{
    private ProfilingSession? _session;

    public RedisCommandCounter(IConnectionMultiplexer redis) => redis.RegisterProfiler(() => Volatile.Read(ref _session));

    public void Start() => Volatile.Write(ref _session, new ProfilingSession());

    /// <summary>The names of the commands sent since <see cref="Start"/> that have completed (callers await theirs first).</summary>
    public IReadOnlyList<string> Stop() =>
        Interlocked.Exchange(ref _session, null) is { } session ? [.. session.FinishProfiling().Select(command => command.Command)] : [];
}
