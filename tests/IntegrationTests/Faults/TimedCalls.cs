using System.Diagnostics;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

public sealed record TimedCall(string Phase, string Call, TestResponse Response, TimeSpan Elapsed);

/// <summary>Every call of a fault test with how long it took: a frozen dependency shows as time, not as an error.</summary>
public sealed class TimedCalls
{
    private readonly List<TimedCall> _calls = [];

    public IReadOnlyList<TimedCall> All => _calls;

    public async Task<TestResponse> RunAsync(string phase, string call, Func<Task<TestResponse>> send)
    {
        var clock = Stopwatch.StartNew();
        var response = await send();
        _calls.Add(new TimedCall(phase, call, response, clock.Elapsed));
        return response;
    }

    public IEnumerable<TimedCall> In(string phase) => _calls.Where(c => c.Phase == phase);

    public void Report(ITestOutputHelper output)
    {
        foreach (var group in _calls.GroupBy(c => (c.Phase, c.Call)))
        {
            output.WriteLine($"{group.Key.Phase,-7} {group.Key.Call,-28} "
                + string.Join(", ", group.Select(c => $"{c.Response.Status} in {c.Elapsed.TotalSeconds:0.00}s")));
        }
    }
}
