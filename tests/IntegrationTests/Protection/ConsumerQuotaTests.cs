using System.Security.Cryptography;
using System.Text;

namespace Shop.IntegrationTests.Protection;

/// <summary>
/// Quotas per API consumer (one function key each) and per caller behind a shared key, against real Redis: a caller is
/// refused by its own limit before it spends the bucket it shares with the other callers of its key.
/// </summary>
public sealed class ConsumerQuotaTests
{
    private const string SharedKey = "a-function-key-many-clients-share";
    private const string PartnerKey = "the-partner-consumers-own-function-key";

    private static Task<TestResponse> ListAsync(ProductTestApp app, string functionKey, string clientAddress) =>
        app.Host.SendAsync(
            new RequestSpec("GET", "products", [], null, new Dictionary<string, string> { ["x-functions-key"] = functionKey }, clientAddress));

    [SkippableFact]
    public async Task A_caller_over_its_limit_leaves_another_caller_on_the_same_key_its_full_quota()
    {
        await using var products = await ProductTestApp.StartAsync(extraSettings: RateLimitSettings.On(
            ("Policies:user:PermitLimit", "3"), ("Policies:api-key:PermitLimit", "10")));

        var greedy = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            greedy.Add((await ListAsync(products, SharedKey, "198.51.100.1")).Status);
        }

        var other = new List<TestResponse>();
        for (var i = 0; i < 3; i++)
        {
            other.Add(await ListAsync(products, SharedKey, "198.51.100.2"));
        }

        Assert.Equal([200, 200, 200, 429, 429, 429, 429, 429], greedy);
        Assert.All(other, r => Assert.Equal(200, r.Status));
        // Six requests ran, so six of the key's ten tokens are spent: the five refused ones spent none.
        Assert.Matches("^\"user\";r=0;t=\\d+, \"api-key\";r=4;t=\\d+$", other[^1].Headers["RateLimit"]);
    }

    [SkippableFact]
    public async Task A_named_consumer_is_counted_by_name_with_its_own_limit_beside_the_default_limit_of_other_keys()
    {
        var partnerHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PartnerKey)));
        await using var products = await ProductTestApp.StartAsync(extraSettings: RateLimitSettings.On(
            ("Policies:api-key:PermitLimit", "10"),
            ("Consumers:partner:KeySha256", partnerHash),
            ("Consumers:partner:PermitLimit", "4")));

        var partner = new List<TestResponse>();
        for (var i = 0; i < 5; i++)
        {
            partner.Add(await ListAsync(products, PartnerKey, $"198.51.100.{10 + i}"));
        }

        var someoneElse = await ListAsync(products, SharedKey, "198.51.100.20");

        Assert.Equal([200, 200, 200, 200, 429], partner.Select(r => r.Status));
        Assert.Equal("api-key", partner[^1].Document.GetProperty("policy").GetString());
        Assert.Equal("\"user\";q=600;w=60, \"api-key\";q=4;w=60", partner[^1].Headers["RateLimit-Policy"]);
        Assert.Equal(200, someoneElse.Status);
        Assert.Equal("\"user\";q=600;w=60, \"api-key\";q=10;w=60", someoneElse.Headers["RateLimit-Policy"]);
    }
}
