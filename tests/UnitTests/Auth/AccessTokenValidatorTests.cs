using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Shop.Auth.Accounts;
using Shop.Auth.Sessions;
using Shop.Shared.Security;

namespace Shop.UnitTests.Auth;

public sealed class AccessTokenValidatorTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);
    private readonly Shop.Auth.Keys.SigningKeyRing _ring = TestKeys.Ring();
    private readonly AccessTokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;

    public AccessTokenValidatorTests()
    {
        _issuer = new AccessTokenIssuer(_ring, TestKeys.AuthOptions(), TestKeys.TokenOptions(), _time);
        _validator = new AccessTokenValidator(_ring, TestKeys.TokenOptions(), _time, NullLogger<AccessTokenValidator>.Instance);
    }

    [Fact]
    public async Task A_token_it_issued_validates_with_subject_email_and_roles()
    {
        var (token, expiresIn) = _issuer.Issue(SampleUser());

        var caller = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.NotNull(caller);
        Assert.Equal("u1", caller.UserId);
        Assert.Equal("ann@example.com", caller.Email);
        Assert.Equal(["admin", "customer"], caller.Roles.Order());
        Assert.Equal(900, expiresIn);
    }

    [Fact]
    public async Task A_single_role_written_as_a_string_reads_as_one_role_and_no_claim_is_renamed()
    {
        var (token, _) = _issuer.Issue(SampleUser(roles: ["customer"]));

        var caller = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.NotNull(caller);
        Assert.Equal("u1", caller.UserId);
        Assert.Equal(["customer"], caller.Roles);
        Assert.False(caller.IsAdmin);
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_rejected()
    {
        var token = Encode(new { alg = "none", typ = "at+jwt", kid = "k1" }, ValidPayload()) + ".";

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task An_hmac_token_keyed_with_the_public_key_is_rejected()
    {
        var publicPem = RSA.Create(_ring.SigningCredentials.Key is RsaSecurityKey k ? k.Rsa.ExportParameters(false) : default).ExportRSAPublicKeyPem();
        var unsigned = Encode(new { alg = "HS256", typ = "at+jwt", kid = "k1" }, ValidPayload());
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicPem), Encoding.ASCII.GetBytes(unsigned));
        var token = unsigned + "." + Base64UrlEncoder.Encode(signature);

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_with_a_known_kid_is_rejected()
    {
        var attackerKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k1" };
        var token = SignWith(attackerKey, SecurityAlgorithms.RsaSha256, ValidPayload());

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_with_another_rsa_algorithm_is_rejected_even_with_the_right_key()
    {
        var token = SignWith((RsaSecurityKey)_ring.SigningCredentials.Key, SecurityAlgorithms.RsaSha512, ValidPayload());

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task The_pinned_algorithm_and_the_right_key_validate_a_hand_built_token()
    {
        var token = SignWith((RsaSecurityKey)_ring.SigningCredentials.Key, SecurityAlgorithms.RsaSha256, ValidPayload());

        Assert.NotNull(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task An_expired_token_is_rejected_after_the_clock_skew()
    {
        var (token, _) = _issuer.Issue(SampleUser());

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(20));
        var withinSkew = await _validator.ValidateAsync(token, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        var pastSkew = await _validator.ValidateAsync(token, CancellationToken.None);

        Assert.NotNull(withinSkew);
        Assert.Null(pastSkew);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_rejected()
    {
        var payload = ValidPayload(notBefore: s_start.AddMinutes(5));
        var token = SignWith((RsaSecurityKey)_ring.SigningCredentials.Key, SecurityAlgorithms.RsaSha256, payload);

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Theory]
    [InlineData("evil-issuer", "shop-api")]
    [InlineData("shop-auth", "another-api")]
    public async Task A_token_for_another_issuer_or_audience_is_rejected(string issuer, string audience)
    {
        var token = SignWith((RsaSecurityKey)_ring.SigningCredentials.Key, SecurityAlgorithms.RsaSha256, ValidPayload(issuer, audience));

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task A_tampered_payload_is_rejected()
    {
        var (token, _) = _issuer.Issue(SampleUser(roles: ["customer"]));
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["role"] = JsonSerializer.SerializeToElement("admin");
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload)) + "." + parts[2];

        Assert.Null(await _validator.ValidateAsync(tampered, CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_or_missing_kid_is_rejected()
    {
        var unknown = SignWith(new RsaSecurityKey(((RsaSecurityKey)_ring.SigningCredentials.Key).Rsa) { KeyId = "k9" }, SecurityAlgorithms.RsaSha256, ValidPayload());
        var missing = SignWith(new RsaSecurityKey(((RsaSecurityKey)_ring.SigningCredentials.Key).Rsa), SecurityAlgorithms.RsaSha256, ValidPayload());

        Assert.Null(await _validator.ValidateAsync(unknown, CancellationToken.None));
        Assert.Null(await _validator.ValidateAsync(missing, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_of_another_type_such_as_an_id_token_is_rejected()
    {
        var token = SignWith((RsaSecurityKey)_ring.SigningCredentials.Key, SecurityAlgorithms.RsaSha256, ValidPayload(), type: "JWT");

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    [InlineData("eyJ.eyJ.sig")]
    public async Task Garbage_is_rejected_without_throwing(string token)
    {
        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task An_oversized_token_is_rejected_before_parsing()
    {
        var token = SignWith((RsaSecurityKey)_ring.SigningCredentials.Key, SecurityAlgorithms.RsaSha256,
            ValidPayload() with { Padding = new string('x', 10_000) });

        Assert.Null(await _validator.ValidateAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task A_rotated_in_key_verifies_tokens_while_the_old_key_still_verifies_its_own()
    {
        var oldRing = TestKeys.Ring();
        var newPem = RSA.Create(2048).ExportRSAPrivateKeyPem();
        var rotatedRing = TestKeys.Ring(TestKeys.AuthOptions(o => o.SigningKeys =
        [
            new Shop.Auth.SigningKeyOptions { Kid = "k2", PrivateKeyPem = newPem },
            new Shop.Auth.SigningKeyOptions { Kid = "k1", PrivateKeyPem = TestKeys.PrivatePem },
        ]));
        var oldToken = new AccessTokenIssuer(oldRing, TestKeys.AuthOptions(), TestKeys.TokenOptions(), _time).Issue(SampleUser()).Token;
        var newToken = new AccessTokenIssuer(rotatedRing, TestKeys.AuthOptions(), TestKeys.TokenOptions(), _time).Issue(SampleUser()).Token;
        var validator = new AccessTokenValidator(rotatedRing, TestKeys.TokenOptions(), _time, NullLogger<AccessTokenValidator>.Instance);

        Assert.NotNull(await validator.ValidateAsync(oldToken, CancellationToken.None));
        Assert.NotNull(await validator.ValidateAsync(newToken, CancellationToken.None));
        Assert.Equal(["k2", "k1"], rotatedRing.PublicJwks().Select(k => k.Kid));
    }

    private static User SampleUser(string[]? roles = null) => new()
    {
        Email = "ann@example.com",
        UserId = "u1",
        DisplayName = "Ann",
        PasswordHash = "x",
        Roles = roles ?? ["customer", "admin"],
        CreatedAt = DateTime.UnixEpoch,
        UpdatedAt = DateTime.UnixEpoch,
    };

    private sealed record Payload(string Sub, string Email, string Iss, string Aud, long Exp, long Nbf, long Iat, string[] Role)
    {
        public string? Padding { get; init; }
    }

    private static Payload ValidPayload(string issuer = "shop-auth", string audience = "shop-api", DateTimeOffset? notBefore = null) =>
        new("u1", "ann@example.com", issuer, audience, s_start.AddMinutes(10).ToUnixTimeSeconds(),
            (notBefore ?? s_start).ToUnixTimeSeconds(), s_start.ToUnixTimeSeconds(), ["admin"]);

    private static string Encode(object header, object payload) =>
        Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload, PayloadJson));

    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static string SignWith(RsaSecurityKey key, string algorithm, Payload payload, string type = "at+jwt")
    {
        var header = key.KeyId is null ? (object)new { alg = algorithm, typ = type } : new { alg = algorithm, typ = type, kid = key.KeyId };
        var unsigned = Encode(header, payload);
        var hash = algorithm == SecurityAlgorithms.RsaSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        var signature = key.Rsa.SignData(Encoding.ASCII.GetBytes(unsigned), hash, RSASignaturePadding.Pkcs1);
        return unsigned + "." + Base64UrlEncoder.Encode(signature);
    }
}
