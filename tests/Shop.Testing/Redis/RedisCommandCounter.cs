using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Shop.Testing.Redis;

/// <summary>
/// Counts the Redis commands an app's multiplexer sends on behalf of the code that runs inside
/// <see cref="Start"/>'s scope (and whatever it awaits), through StackExchange.Redis' profiling: a count that does not
/// move with the machine's load, unlike a time. Commands of other flows (the multiplexer's heartbeats, other tests'
/// requests) are not counted. Registers the multiplexer's one profiler, replacing any other.
/// </summary>
/// <example><c>using var counter = RedisCommandCounter.Start(redis); await GetAsync(id); Assert.Equal(0, counter.Count);</c></example>
public sealed class RedisCommandCounter : IDisposable
{
    private static readonly AsyncLocal<ProfilingSession?> s_current = new();
    private static readonly Func<ProfilingSession?> s_provider = () => s_current.Value;

    private readonly ProfilingSession _session = new();
    private readonly List<string> _commands = [];
    private readonly ProfilingSession? _outer;

    private RedisCommandCounter()
    {
        _outer = s_current.Value;
        s_current.Value = _session;
    }

    /// <summary>Counts from now on, in this async flow, until disposed.</summary>
    public static RedisCommandCounter Start(IConnectionMultiplexer redis)
    {
        redis.RegisterProfiler(s_provider);
        return new RedisCommandCounter();
    }

    /// <summary>The commands sent so far (EVAL, GET, HSET...), oldest first.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            _commands.AddRange(_session.FinishProfiling().OrderBy(c => c.CommandCreated).Select(c => c.Command));
            return _commands;
        }
    }

    public int Count => Commands.Count;

    /// <summary>The commands sent since the last call: the cost of one step of a sequence.</summary>
    public int TakeCount()
    {
        var count = Count;
        _commands.Clear();
        return count;
    }

    public void Dispose() => s_current.Value = _outer;
}
