using Shop.Auth.Passwords;

namespace Shop.UnitTests.Auth;

public sealed class PasswordPolicyTests
{
    private readonly PasswordPolicy _policy = new(TestKeys.AuthOptions());

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("Tr0ub4dor&3-plus-more")]
    [InlineData("ünïcødé pässphrase")]
    public void Long_uncommon_passwords_pass(string password)
    {
        Assert.Empty(_policy.Check(password, "ann@example.com"));
    }

    [Theory]
    [InlineData("short", "at least 12")]
    [InlineData("password123456", "too common")]
    [InlineData("Password1234!", "too common")]
    [InlineData("qwertyuiop123", "too common")]
    [InlineData("aaaaaaaaaaaaaaaa", "too common")]
    [InlineData("annabelle-secret-2026", "email")]
    [InlineData("tab\tinside the password", "control")]
    public void Weak_passwords_are_refused_with_a_reason(string password, string reason)
    {
        var problems = _policy.Check(password, "annabelle@example.com");

        Assert.Contains(problems, p => p.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Passwords_longer_than_the_maximum_are_refused()
    {
        Assert.Contains(_policy.Check(new string('x', 64) + new string('y', 65), "a@example.com"), p => p.Contains("at most", StringComparison.Ordinal));
    }
}
