using Shop.Auth.Passwords;

namespace Shop.UnitTests.Auth;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = new(TestKeys.AuthOptions());

    [Fact]
    public void A_hash_verifies_its_password_and_no_other()
    {
        var hash = _hasher.Hash("correct horse battery staple");

        Assert.Equal(PasswordCheck.Valid, _hasher.Verify("correct horse battery staple", hash));
        Assert.Equal(PasswordCheck.Failed, _hasher.Verify("correct horse battery stapLe", hash));
    }

    [Fact]
    public void A_hash_carries_its_algorithm_and_parameters_and_a_random_salt()
    {
        var first = _hasher.Hash("same password here");
        var second = _hasher.Hash("same password here");

        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Production_defaults_are_the_owasp_argon2id_minimum()
    {
        var defaults = new Shop.Auth.PasswordOptions();

        Assert.Equal((19 * 1024, 2, 1), (defaults.MemoryKiB, defaults.Iterations, defaults.Parallelism));
    }

    [Fact]
    public void Raising_the_parameters_asks_for_a_rehash_of_an_older_hash()
    {
        var oldHash = _hasher.Hash("correct horse battery staple");
        var stronger = new PasswordHasher(TestKeys.AuthOptions(o => o.Passwords.Iterations = 2));

        Assert.Equal(PasswordCheck.ValidButNeedsRehash, stronger.Verify("correct horse battery staple", oldHash));
        Assert.Equal(PasswordCheck.Valid, stronger.Verify("correct horse battery staple", stronger.Hash("correct horse battery staple")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("$argon2id$v=19$m=0,t=1,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$***$aGFzaA")]
    [InlineData("$argon2id$v=19$m=1024,t=1$c2FsdA$aGFzaA")]
    [InlineData("$2b$12$abcdefghijklmnopqrstuv")]
    public void Malformed_stored_hashes_fail_without_throwing(string stored)
    {
        Assert.Equal(PasswordCheck.Failed, _hasher.Verify("anything at all", stored));
    }

    [Fact]
    public void The_decoy_hash_uses_the_current_parameters_so_unknown_accounts_cost_the_same()
    {
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", _hasher.Decoy, StringComparison.Ordinal);
        Assert.Equal(PasswordCheck.Failed, _hasher.Verify("guess", _hasher.Decoy));
    }
}
