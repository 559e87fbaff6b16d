using System.Diagnostics;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Waits for a condition by polling it until a deadline, never for a fixed time.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(PollEvery);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what);
}
