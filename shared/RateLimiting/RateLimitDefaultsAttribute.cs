namespace Shop.Shared.RateLimiting;

/// <summary>
/// Declares a policy on the constant that names it, beside the functions of the app that uses it:
/// <c>[RateLimitDefaults(20, RateLimitAlgorithm.SlidingWindow, RateLimitPartitionBy.ClientAddress)] public const string
/// UploadsPerAddress = "uploads-ip";</c>. These are defaults: RateLimiting:Policies:&lt;name&gt;:&lt;property&gt; in
/// settings replaces any one of them and keeps the others.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class RateLimitDefaultsAttribute(int permitLimit, RateLimitAlgorithm algorithm, RateLimitPartitionBy partitionBy) : Attribute
{
    public int PermitLimit { get; } = permitLimit;

    public RateLimitAlgorithm Algorithm { get; } = algorithm;

    public RateLimitPartitionBy PartitionBy { get; } = partitionBy;

    public int WindowSeconds { get; set; } = 60;

    internal RateLimitPolicy For(string name) =>
        new(name, PermitLimit, TimeSpan.FromSeconds(WindowSeconds), Algorithm, PartitionBy);
}
