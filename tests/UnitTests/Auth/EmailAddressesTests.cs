using Shop.Auth.Accounts;

namespace Shop.UnitTests.Auth;

public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("Ann@Example.COM", "ann@example.com")]
    [InlineData("  bob.smith+shop@mail.example.org ", "bob.smith+shop@mail.example.org")]
    public void Valid_addresses_are_normalised(string input, string expected)
    {
        Assert.True(EmailAddresses.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("a@b")]
    [InlineData("Ann <ann@example.com>")]
    [InlineData("ann@example.com\r\nBcc: x@y.z")]
    [InlineData("ann @example.com")]
    [InlineData("ann@.example.com")]
    [InlineData("{\"$gt\":\"\"}")]
    public void Invalid_addresses_are_refused(string? input)
    {
        Assert.False(EmailAddresses.TryNormalize(input, out _));
    }

    [Fact]
    public void Over_long_addresses_are_refused()
    {
        Assert.False(EmailAddresses.TryNormalize(new string('a', 65) + "@example.com", out _));
        Assert.False(EmailAddresses.TryNormalize("a@" + new string('b', 250) + ".com", out _));
    }
}
