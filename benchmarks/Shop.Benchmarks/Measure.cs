using System.Diagnostics;

namespace Shop.Benchmarks;

/// <summary>
/// Stopwatch timing with warm-up and repeated rounds. A Shop figure and its raw baseline are measured in alternating
/// rounds, so drift on a shared machine (other processes, GC, CPU frequency) hits both alike; the median round wins.
/// </summary>
internal static class Measure
{
    /// <summary>Median over rounds of the mean microseconds per sequential call, for <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static async Task<(double A, double B)> PairAsync(Func<int, Task> a, Func<int, Task> b, int warmup, int rounds, int perRound)
    {
        for (var i = 0; i < warmup; i++)
        {
            await a(i);
            await b(i);
        }

        var aSamples = new double[rounds];
        var bSamples = new double[rounds];
        var index = warmup;
        for (var r = 0; r < rounds; r++)
        {
            aSamples[r] = await RoundAsync(a, index, perRound);
            bSamples[r] = await RoundAsync(b, index, perRound);
            index += perRound;
        }

        return (Median(aSamples), Median(bSamples));
    }

    /// <summary>
    /// <see cref="PairAsync"/> for any number of operations: one round of each in turn, so a decomposition of one figure
    /// (raw, then each layer added) sees the same machine; median and fastest round per operation, in the order given.
    /// </summary>
    public static async Task<(double[] Median, double[] Fastest)> InterleavedAsync(int warmup, int rounds, int perRound, params Func<int, Task>[] operations)
    {
        for (var i = 0; i < warmup; i++)
        {
            foreach (var operation in operations)
            {
                await operation(i);
            }
        }

        var samples = operations.Select(_ => new double[rounds]).ToArray();
        var index = warmup;
        for (var r = 0; r < rounds; r++)
        {
            for (var o = 0; o < operations.Length; o++)
            {
                samples[o][r] = await RoundAsync(operations[o], index, perRound);
            }

            index += perRound;
        }

        return (samples.Select(Median).ToArray(), samples.Select(r => r.Min()).ToArray());
    }

    public static async Task<double> RoundAsync(Func<int, Task> operation, int firstIndex, int count)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await operation(firstIndex + i);
        }

        return clock.Elapsed.TotalMicroseconds / count;
    }

    /// <summary>Bytes allocated by the whole process (every thread: async continuations hop threads) per call.</summary>
    public static async Task<double> AllocatedPerCallAsync(Func<int, Task> operation, int warmup, int count)
    {
        for (var i = 0; i < warmup; i++)
        {
            await operation(i);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            await operation(i);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
    }

    public static double Median(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Zipf-distributed ranks 0..n-1 (rank 0 the most popular), P(k) proportional to 1/(k+1)^s.</summary>
internal sealed class Zipf
{
    private readonly double[] _cumulative;
    private readonly Random _random;

    public Zipf(int n, double s, int seed)
    {
        _cumulative = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, s);
            _cumulative[k] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            _cumulative[k] /= sum;
        }

        _random = new Random(seed);
    }

    public int Next()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
