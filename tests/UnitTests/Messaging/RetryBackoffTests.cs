using Moq;
using Shop.Shared.Messaging;

namespace Shop.UnitTests.Messaging;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private static RetryBackoff WithRandom(double value, out Mock<Random> random)
    {
        random = new Mock<Random>();
        random.Setup(r => r.NextDouble()).Returns(value);
        return new RetryBackoff(Base, Cap, random.Object);
    }

    [Fact]
    public void First_retry_waits_between_half_and_all_of_the_base_delay()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), WithRandom(0.0, out _).Next(1));
        Assert.Equal(TimeSpan.FromMilliseconds(750), WithRandom(0.5, out _).Next(1));
        Assert.Equal(TimeSpan.FromSeconds(1), WithRandom(1.0, out _).Next(1));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(7, 30)]
    public void Delay_doubles_with_each_failure_until_the_cap(int failures, int expectedSeconds)
    {
        var backoff = WithRandom(1.0, out _);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), backoff.Next(failures));
    }

    [Fact]
    public void A_huge_failure_count_stays_at_the_cap()
    {
        var backoff = WithRandom(1.0, out _);

        Assert.Equal(Cap, backoff.Next(int.MaxValue));
    }

    [Fact]
    public void Each_delay_draws_the_jitter_once()
    {
        var backoff = WithRandom(0.25, out var random);

        backoff.Next(3);

        random.Verify(r => r.NextDouble(), Times.Once);
    }

    [Fact]
    public void Real_jitter_stays_within_half_and_all_of_the_ceiling()
    {
        var backoff = new RetryBackoff(Base, Cap);

        var delays = Enumerable.Range(0, 1000).Select(_ => backoff.Next(3)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
        Assert.True(delays.Distinct().Count() > 1, "the delays should vary");
    }

    [Fact]
    public void Zero_failures_and_bad_delays_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(Base, Cap).Next(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.Zero, Cap));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBackoff(Cap, Base));
    }
}
