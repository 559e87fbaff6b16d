using Shop.Shared.Security;

namespace Shop.UnitTests.Shared;

public sealed class InternalApiKeysTests
{
    private static readonly string[] s_keys = ["current-key-0123456789", "previous-key-0123456789"];

    [Theory]
    [InlineData("current-key-0123456789")]
    [InlineData("previous-key-0123456789")]
    public void Either_active_key_is_accepted_during_a_rotation(string presented)
    {
        Assert.True(InternalApiKeys.Matches(presented, s_keys));
    }

    [Theory]
    [InlineData("")]
    [InlineData("current-key-012345678")]
    [InlineData("current-key-01234567890")]
    [InlineData("CURRENT-KEY-0123456789")]
    public void Anything_else_is_refused(string presented)
    {
        Assert.False(InternalApiKeys.Matches(presented, s_keys));
    }

    [Fact]
    public void With_no_keys_configured_or_only_short_keys_everything_is_refused()
    {
        Assert.False(InternalApiKeys.Matches("", []));
        Assert.False(InternalApiKeys.Matches("short", ["short"]));
    }
}
