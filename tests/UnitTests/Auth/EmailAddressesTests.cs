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

    [Theory]
    [InlineData("\uFF41nn@example.com", "ann@example.com")]
    [InlineData("\uFF21NN@\uFF25XAMPLE.COM", "ann@example.com")]
    [InlineData("\u212Ann@example.com", "knn@example.com")]
    public void Compatibility_look_alikes_fold_to_the_plain_ascii_address(string input, string expected)
    {
        Assert.True(EmailAddresses.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void A_ligature_folds_to_its_letters()
    {
        Assert.True(EmailAddresses.TryNormalize("\uFB01le@example.com", out var normalized));
        Assert.Equal("file@example.com", normalized);
    }

    [Theory]
    [InlineData("\u0430nn@example.com", "Cyrillic a")]
    [InlineData("\u0131nn@example.com", "dotless i")]
    [InlineData("\u0391nn@example.com", "Greek capital alpha")]
    [InlineData("j\u00F6rg@example.com", "any other non-ASCII local part")]
    [InlineData("ann\uD800@example.com", "an unpaired surrogate")]
    public void A_local_part_that_is_not_ascii_after_folding_is_refused(string input, string because)
    {
        Assert.False(EmailAddresses.TryNormalize(input, out _), because);
    }

    [Fact]
    public void An_international_domain_is_stored_as_punycode()
    {
        Assert.True(EmailAddresses.TryNormalize("Ann@B\u00FCcher.Example", out var normalized));
        Assert.Equal("ann@xn--bcher-kva.example", normalized);
    }

    [Fact]
    public void A_look_alike_domain_is_a_visibly_different_punycode_domain()
    {
        Assert.True(EmailAddresses.TryNormalize("ann@ex\u0430mple.com", out var normalized));
        Assert.Equal("ann@xn--exmple-4nf.com", normalized);
    }

    [Fact]
    public void A_domain_idna_refuses_is_refused()
    {
        Assert.False(EmailAddresses.TryNormalize("ann@\u00FC_x.com", out _));
    }

    [Fact]
    public void Login_normalises_with_the_same_function_as_sign_up()
    {
        Assert.True(EmailAddresses.TryNormalize("  \uFF41nn@Example.com", out var signUp));
        Assert.Equal(signUp, EmailAddresses.Normalize("  \uFF41nn@Example.com"));
    }

    [Fact]
    public void Login_looks_up_the_legacy_form_first_and_then_the_canonical_one_when_they_differ()
    {
        Assert.Equal(["\uFF41nn@example.com", "ann@example.com"], EmailAddresses.LoginForms("\uFF41nn@Example.com"));
        Assert.Equal(["ann@b\u00FCcher.example", "ann@xn--bcher-kva.example"], EmailAddresses.LoginForms("ann@B\u00FCcher.example"));
    }

    [Theory]
    [InlineData("Ann@Example.com")]
    [InlineData("\u0430nn@example.com")]
    public void Login_looks_up_one_form_when_the_old_and_new_normalisations_agree(string input)
    {
        Assert.Single(EmailAddresses.LoginForms(input));
    }

    [Fact]
    public void Unicode_normalisation_is_available_in_this_process()
    {
        Assert.Null(Record.Exception(EmailAddresses.EnsureUnicodeNormalizationWorks));
    }
}
