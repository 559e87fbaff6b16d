namespace Shop.Shared.Time;

public static class StorageClock
{
    /// <summary>
    /// Now, in UTC, cut to whole milliseconds: the precision MongoDB stores, so a document returned right after a
    /// write equals the same document read back later.
    /// </summary>
    public static DateTime UtcNow(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }
}
