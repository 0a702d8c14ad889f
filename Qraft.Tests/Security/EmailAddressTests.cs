using Qraft.Security;

namespace Qraft.Tests.Security;

public sealed class EmailAddressTests
{
    private const string Invalid = "Enter a valid email address.";

    [Theory]
    [InlineData("test@gmail.com", "test@gmail.com")]
    [InlineData("  Test.User+tag@GMAIL.Com \n", "Test.User+tag@gmail.com")]
    [InlineData("o'neil&sons@Example.ORG", "o'neil&sons@example.org")]
    [InlineData("user@Bücher.DE", "user@bücher.de")]
    [InlineData("user@xn--bcher-kva.de", "user@bücher.de")]
    [InlineData("x@a-b.c0m", "x@a-b.c0m")]
    [InlineData("a!#$%&'*+-/=?^_`{|}~z@sub.example.io", "a!#$%&'*+-/=?^_`{|}~z@sub.example.io")]
    public void NormalizesByTrimmingAndLowerCasingTheDomainOnly(string raw, string expected)
    {
        Assert.True(EmailAddress.TryNormalize(raw, out var email, out var error));
        Assert.Equal(expected, email);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("a@b@example.com")]
    [InlineData("\"quoted\"@example.com")]
    [InlineData(".user@example.com")]
    [InlineData("user.@example.com")]
    [InlineData("us..er@example.com")]
    [InlineData("us er@example.com")]
    [InlineData("us\ter@example.com")]
    [InlineData("user\u0000@example.com")]
    [InlineData("usér@example.com")]
    [InlineData("user(comment)@example.com")]
    [InlineData("user@localhost")]
    [InlineData("user@example.123")]
    [InlineData("user@exa mple.com")]
    [InlineData("user@exa\u0007mple.com")]
    [InlineData("user@-example.com")]
    [InlineData("user@example-.com")]
    [InlineData("user@exa_mple.com")]
    [InlineData("user@example..com")]
    [InlineData("user@.example.com")]
    [InlineData("user@example.com.")]
    [InlineData("user@[127.0.0.1]")]
    [InlineData("user@example.com>")]
    public void RefusesMalformedAddressesWithDjangosMessage(string? raw)
    {
        Assert.False(EmailAddress.TryNormalize(raw, out var email, out var error));
        Assert.Null(email);
        Assert.Equal(Invalid, error);
    }

    [Fact]
    public void LocalPartMayBe64CharactersButNot65()
    {
        Assert.True(EmailAddress.TryNormalize(new string('a', 64) + "@example.com", out _, out _));
        Assert.False(EmailAddress.TryNormalize(new string('a', 65) + "@example.com", out _, out _));
    }

    [Fact]
    public void DomainLabelMayBe63CharactersButNot64()
    {
        Assert.True(EmailAddress.TryNormalize($"a@{new string('b', 63)}.com", out _, out _));
        Assert.False(EmailAddress.TryNormalize($"a@{new string('b', 64)}.com", out _, out _));
    }

    [Fact]
    public void WholeAddressMayBe254CharactersButNot255()
    {
        var domain189 = $"{new string('b', 63)}.{new string('c', 63)}.{new string('d', 57)}.com"; // 189 characters
        var local = new string('a', 64);

        Assert.True(EmailAddress.TryNormalize($"{local}@{domain189}", out var email, out _));
        Assert.Equal(254, email.Length);
        Assert.False(EmailAddress.TryNormalize($"{local}@e{domain189}", out _, out _));
    }

    [Fact]
    public void UnicodeDomainCountsAgainstTheLimitInItsPunycodeForm()
    {
        // 60 ü's are 60 characters but "xn--" plus more than 59 once punycoded, over the 63 a label may have.
        Assert.False(EmailAddress.TryNormalize($"a@{new string('ü', 60)}.de", out _, out _));
    }

    [Fact]
    public void KeyIgnoresCaseOfTheWholeAddress()
    {
        Assert.True(EmailAddress.TryNormalize("John.Smith@Example.com", out var first, out _));
        Assert.True(EmailAddress.TryNormalize("john.smith@EXAMPLE.COM", out var second, out _));

        Assert.NotEqual(first, second);
        Assert.Equal("john.smith@example.com", EmailAddress.Key(first));
        Assert.Equal(EmailAddress.Key(first), EmailAddress.Key(second));
    }

    [Fact]
    public void SameUnicodeDomainTypedTwoWaysHasOneKey()
    {
        Assert.True(EmailAddress.TryNormalize("Ann@BÜCHER.de", out var unicode, out _));
        Assert.True(EmailAddress.TryNormalize("ann@xn--bcher-kva.DE", out var punycode, out _));

        Assert.Equal(EmailAddress.Key(unicode), EmailAddress.Key(punycode));
    }
}
