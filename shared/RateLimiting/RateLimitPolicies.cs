using Microsoft.Extensions.Options;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// Which policies apply to a function: RateLimiting:Functions:&lt;name&gt; from settings, else what the function
/// declares (<see cref="DeclaredRateLimits"/>), else the defaults; checked once at start. A function's
/// policies are applied per caller (address, user) first and per key last: a caller over its own limit is refused
/// before it spends the bucket it shares with every other caller of the same key.
/// </summary>
public sealed class RateLimitPolicies
{
    private readonly Dictionary<string, RateLimitPolicy> _policies;
    private readonly Dictionary<string, IReadOnlyList<RateLimitPolicy>> _functions;
    private readonly IReadOnlyList<RateLimitPolicy> _default;
    private readonly Dictionary<string, (string Name, int PermitLimit)> _consumersByKeyHash;
    private readonly int _leaseSize;

    public RateLimitPolicies(IOptions<RateLimitingOptions> options, IEnumerable<DeclaredRateLimits> declared)
        : this(options.Value, declared.SingleOrDefault())
    {
    }

    /// <param name="declared">What the app's functions declare; without it only the shared functions' declarations.</param>
    public RateLimitPolicies(RateLimitingOptions options, DeclaredRateLimits? declared = null)
    {
        declared ??= DeclaredRateLimits.In();
        var errors = Validate(options, declared);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(RateLimitingOptions.Section, typeof(RateLimitingOptions), errors);
        }

        Enabled = options.Enabled;
        AssumedInstances = options.AssumedInstances;
        LeaseLifetime = options.LeaseLifetime;
        _leaseSize = options.LeaseSize;
        _policies = options.Policies.ToDictionary(
            p => p.Key,
            p => p.Value.Named(p.Key),
            StringComparer.OrdinalIgnoreCase);
        _default = Resolve(options.DefaultPolicies);
        _functions = declared.Functions.Concat(options.Functions)
            .GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Resolve(g.Last().Value), StringComparer.OrdinalIgnoreCase);
        _consumersByKeyHash = options.Consumers
            .Where(c => !string.IsNullOrWhiteSpace(c.Value.KeySha256))
            .ToDictionary(c => c.Value.KeySha256.Trim().ToLowerInvariant(), c => (c.Key, c.Value.PermitLimit), StringComparer.Ordinal);
    }

    public bool Enabled { get; }

    public int AssumedInstances { get; }

    /// <summary>How long tokens leased from a bucket may be spent (<see cref="TokenBucketLeases"/>).</summary>
    public TimeSpan LeaseLifetime { get; }

    /// <summary>
    /// The most tokens of <paramref name="policy"/> one instance leases at once: RateLimiting:LeaseSize, but never more
    /// than a tenth of the limit shared by AssumedInstances, so all instances together hold at most a tenth of it.
    /// </summary>
    public int LeaseCap(RateLimitPolicy policy) =>
        Math.Max(1, Math.Min(_leaseSize, policy.PermitLimit / (AssumedInstances * 10)));

    public IReadOnlyList<RateLimitPolicy> ForFunction(string functionName) =>
        _functions.TryGetValue(functionName, out var policies) ? policies : _default;

    public RateLimitPolicy? Named(string name) => _policies.GetValueOrDefault(name);

    /// <summary>The configured consumer a function key belongs to, by the key's SHA-256 (lowercase hex).</summary>
    public (string Name, int PermitLimit)? ConsumerOf(string keySha256) =>
        _consumersByKeyHash.TryGetValue(keySha256, out var consumer) ? consumer : null;

    /// <summary>
    /// Every configuration mistake at once: unknown policy names, limits below 1, empty windows. The policies the app
    /// declares must already be in <paramref name="options"/> (the options pipeline puts them there).
    /// </summary>
    public static List<string> Validate(RateLimitingOptions options, DeclaredRateLimits? declared = null)
    {
        var errors = new List<string>();
        if (options.AssumedInstances < 1)
        {
            errors.Add("RateLimiting:AssumedInstances must be at least 1.");
        }

        if (options.LeaseSize < 1)
        {
            errors.Add("RateLimiting:LeaseSize must be at least 1 (1 asks Redis on every request).");
        }

        if (options.LeaseLifetime <= TimeSpan.Zero)
        {
            errors.Add("RateLimiting:LeaseLifetime must be positive.");
        }

        foreach (var (name, policy) in options.Policies)
        {
            if (policy.PermitLimit < 1)
            {
                errors.Add($"RateLimiting:Policies:{name}:PermitLimit must be at least 1.");
            }

            if (policy.Window < TimeSpan.FromSeconds(1))
            {
                errors.Add($"RateLimiting:Policies:{name}:Window must be at least one second.");
            }
        }

        foreach (var (name, consumer) in options.Consumers)
        {
            if (!string.IsNullOrWhiteSpace(consumer.KeySha256) && !IsSha256Hex(consumer.KeySha256.Trim()))
            {
                errors.Add($"RateLimiting:Consumers:{name}:KeySha256 must be the 64 hex digits of the key's SHA-256.");
            }

            if (consumer.PermitLimit < 0)
            {
                errors.Add($"RateLimiting:Consumers:{name}:PermitLimit must be 0 (the policy's own) or more.");
            }
        }

        foreach (var duplicate in options.Consumers.Where(c => !string.IsNullOrWhiteSpace(c.Value.KeySha256))
            .GroupBy(c => c.Value.KeySha256.Trim().ToLowerInvariant()).Where(g => g.Count() > 1))
        {
            errors.Add($"RateLimiting:Consumers {string.Join(" and ", duplicate.Select(c => c.Key))} have the same key.");
        }

        var references = options.Functions.Select(f => (Key: "Functions:" + f.Key, f.Value))
            .Concat((declared?.Functions ?? new Dictionary<string, string>()).Select(f => (Key: "Functions:" + f.Key + " (declared by the function)", f.Value)))
            .Append(("DefaultPolicies", options.DefaultPolicies));
        foreach (var (key, value) in references)
        {
            foreach (var name in Names(value).Where(n => !options.Policies.ContainsKey(n)))
            {
                errors.Add($"RateLimiting:{key} names the unknown policy '{name}': neither the app declares it ([RateLimitDefaults]) nor RateLimiting:Policies sets it.");
            }
        }

        return errors;
    }

    private static IEnumerable<string> Names(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(name => !string.Equals(name, RateLimitingOptions.NoPolicy, StringComparison.OrdinalIgnoreCase));

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);

    private IReadOnlyList<RateLimitPolicy> Resolve(string? list) =>
        [.. Names(list).Select(name => _policies[name]).OrderBy(p => p.PartitionBy == RateLimitPartitionBy.ApiKey ? 1 : 0)];
}
