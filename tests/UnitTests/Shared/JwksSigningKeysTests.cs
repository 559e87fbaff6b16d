using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shop.Auth;
using Shop.Auth.Accounts;
using Shop.Auth.Keys;
using Shop.Auth.Sessions;
using Shop.Shared.Security;
using Shop.UnitTests.Auth;

namespace Shop.UnitTests.Shared;

public sealed class JwksSigningKeysTests : IDisposable
{
    private static readonly SigningKeyOptions s_keyA = new() { Kid = "key-a", PrivateKeyPem = TestKeys.PrivatePem };
    private static readonly SigningKeyOptions s_keyB = new() { Kid = "key-b", PrivateKeyPem = RSA.Create(2048).ExportRSAPrivateKeyPem() };

    private static readonly User s_sampleUser = new()
    {
        Email = "ann@example.com",
        UserId = "u1",
        DisplayName = "Ann",
        PasswordHash = "x",
        Roles = ["customer"],
        CreatedAt = DateTime.UnixEpoch,
        UpdatedAt = DateTime.UnixEpoch,
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly FakeJwksEndpoint _endpoint = new();
    private readonly AccessTokenOptions _options = new() { JwksUrl = new Uri("http://auth.test/api/auth/jwks") };
    private readonly JwksSigningKeys _keys;
    private readonly AccessTokenValidator _validator;

    public JwksSigningKeysTests()
    {
        _keys = new JwksSigningKeys(_endpoint.ClientFactory(), Options.Create(_options), _time, NullLogger<JwksSigningKeys>.Instance);
        _validator = new AccessTokenValidator(_keys, Options.Create(_options), _time, NullLogger<AccessTokenValidator>.Instance);
    }

    [Fact]
    public async Task Following_the_documented_rotation_no_valid_token_is_refused_at_any_step()
    {
        var refused = new List<string>();
        async Task CheckAsync(string step, string token)
        {
            if (await _validator.ValidateAsync(token, CancellationToken.None) is null)
            {
                refused.Add($"{step} at {_time.GetUtcNow():HH:mm:ss}");
            }
        }

        _endpoint.Publish(Ring(s_keyA));
        await CheckAsync("before", Issue(s_keyA));

        // 1. Add the second key: published, not signing yet. Wait the verifiers' cache lifetime plus a margin.
        _endpoint.Publish(Ring(s_keyA, s_keyB));
        for (var waited = TimeSpan.Zero; waited < _options.JwksRefreshInterval + TimeSpan.FromMinutes(1); waited += TimeSpan.FromSeconds(20))
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            await CheckAsync("waiting", Issue(s_keyA));
        }

        // 2. Move it first: new tokens are signed by B; tokens A signed just before still verify.
        var signedByABeforeTheMove = Issue(s_keyA);
        _endpoint.Publish(Ring(s_keyB, s_keyA));
        for (var step = 0; step < 30; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await CheckAsync("moved, new token", Issue(s_keyB));
            await CheckAsync("moved, old token", signedByABeforeTheMove);
        }

        Assert.Empty(refused);
    }

    [Fact]
    public async Task A_key_moved_first_without_waiting_is_fetched_by_its_first_token()
    {
        _endpoint.Publish(Ring(s_keyA));
        Assert.NotNull(await _validator.ValidateAsync(Issue(s_keyA), CancellationToken.None));
        _time.Advance(_options.JwksMinimumRefetchInterval + TimeSpan.FromSeconds(1));

        _endpoint.Publish(Ring(s_keyB, s_keyA));
        var first = await _validator.ValidateAsync(Issue(s_keyB), CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task A_thousand_forged_kids_cost_one_fetch_per_interval()
    {
        _endpoint.Publish(Ring(s_keyA));
        Assert.NotNull(await _keys.FindAsync("key-a", CancellationToken.None));

        var fetchesPerRound = new List<int>();
        for (var round = 0; round < 3; round++)
        {
            _time.Advance(_options.JwksMinimumRefetchInterval);
            var before = _endpoint.Fetches;
            for (var i = 0; i < 1000; i++)
            {
                Assert.Null(await _keys.FindAsync($"forged-{round}-{i}", CancellationToken.None));
            }

            fetchesPerRound.Add(_endpoint.Fetches - before);
        }

        Assert.Equal([1, 1, 1], fetchesPerRound);
    }

    [Fact]
    public async Task A_thousand_concurrent_forged_kids_cost_one_fetch()
    {
        _endpoint.Publish(Ring(s_keyA));
        Assert.NotNull(await _keys.FindAsync("key-a", CancellationToken.None));
        _time.Advance(_options.JwksMinimumRefetchInterval);

        var found = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => _keys.FindAsync($"forged-{i}", CancellationToken.None).AsTask()));

        Assert.All(found, Assert.Null);
        Assert.Equal(2, _endpoint.Fetches);
    }

    [Fact]
    public async Task A_kid_a_fetch_showed_absent_fetches_again_only_after_the_longer_interval()
    {
        _endpoint.Publish(Ring(s_keyA));
        Assert.NotNull(await _keys.FindAsync("key-a", CancellationToken.None));
        _time.Advance(_options.JwksMinimumRefetchInterval);
        Assert.Null(await _keys.FindAsync("ghost", CancellationToken.None));
        var afterFirstLookup = _endpoint.Fetches;

        _time.Advance(_options.JwksMissingKidRetryInterval - TimeSpan.FromSeconds(1));
        Assert.Null(await _keys.FindAsync("ghost", CancellationToken.None));
        var beforeTheLongerInterval = _endpoint.Fetches;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _keys.FindAsync("ghost", CancellationToken.None));

        Assert.Equal(2, afterFirstLookup);
        Assert.Equal(2, beforeTheLongerInterval);
        Assert.Equal(3, _endpoint.Fetches);
    }

    [Fact]
    public async Task Known_keys_are_served_from_the_cache_until_the_refresh_interval()
    {
        _endpoint.Publish(Ring(s_keyA));
        Assert.NotNull(await _keys.FindAsync("key-a", CancellationToken.None));

        _time.Advance(_options.JwksRefreshInterval - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _keys.FindAsync("key-a", CancellationToken.None));
        var withinTheInterval = _endpoint.Fetches;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await _keys.FindAsync("key-a", CancellationToken.None));

        Assert.Equal(1, withinTheInterval);
        Assert.Equal(2, _endpoint.Fetches);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _endpoint.Dispose();
    }

    private static SigningKeyRing Ring(params SigningKeyOptions[] keys) => TestKeys.Ring(TestKeys.AuthOptions(o => o.SigningKeys = [.. keys]));

    private string Issue(SigningKeyOptions signer) =>
        new AccessTokenIssuer(Ring(signer), TestKeys.AuthOptions(), Options.Create(_options), _time).Issue(s_sampleUser).Token;
}
