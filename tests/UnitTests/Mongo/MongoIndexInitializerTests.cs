using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Driver;
using Shop.Shared.Mongo;
using Shop.UnitTests.Shared;

namespace Shop.UnitTests.Mongo;

public sealed class MongoIndexInitializerTests
{
    /// <summary>Fails with a MongoDB error a given number of times, then creates its indexes.</summary>
    private sealed class StoreStartingLate(int failures) : IHasIndexes
    {
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls { get; private set; }

        public Task Created => _created.Task;

        public Task EnsureIndexesAsync(CancellationToken cancellationToken)
        {
            if (++Calls <= failures)
            {
                throw new MongoException("not up yet");
            }

            _created.SetResult();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_database_not_up_yet_is_tried_again_after_2_then_4_seconds_until_the_indexes_exist()
    {
        var time = new TimerRecordingTimeProvider();
        var store = new StoreStartingLate(failures: 2);
        using var initializer = new MongoIndexInitializer([store], time, NullLogger<MongoIndexInitializer>.Instance);

        await initializer.StartAsync(CancellationToken.None);
        var firstWait = await time.NextTimerAsync();
        time.Advance(firstWait);
        var secondWait = await time.NextTimerAsync();
        time.Advance(secondWait);
        await store.Created.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)), (firstWait, secondWait));
        Assert.Equal(3, store.Calls);
    }

    [Fact]
    public async Task The_wait_grows_by_2_seconds_a_try_and_stops_growing_at_30()
    {
        var time = new TimerRecordingTimeProvider();
        var store = new StoreStartingLate(failures: 17);
        using var initializer = new MongoIndexInitializer([store], time, NullLogger<MongoIndexInitializer>.Instance);

        await initializer.StartAsync(CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 17; i++)
        {
            waits.Add(await time.NextTimerAsync());
            time.Advance(waits[^1]);
        }

        await store.Created.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 30, 30], waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public async Task Stopping_the_app_during_a_wait_ends_the_retries()
    {
        var time = new TimerRecordingTimeProvider();
        var store = new StoreStartingLate(failures: int.MaxValue);
        using var initializer = new MongoIndexInitializer([store], time, NullLogger<MongoIndexInitializer>.Instance);

        await initializer.StartAsync(CancellationToken.None);
        await time.NextTimerAsync();
        await initializer.StopAsync(CancellationToken.None);

        Assert.True(initializer.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(1, store.Calls);
    }
}
