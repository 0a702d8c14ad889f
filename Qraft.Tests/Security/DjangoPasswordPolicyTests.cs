using System.IO.Compression;
using Qraft.Security;

namespace Qraft.Tests.Security;

/// <summary>
/// Expected messages were produced by Django 3.2.25's <c>validate_password</c> with startproject's four validators
/// and a user whose <c>email</c> field is Django's ("email address").
/// </summary>
public sealed class DjangoPasswordPolicyTests
{
    private const string Similar = "The password is too similar to the email address.";
    private const string Short = "This password is too short. It must contain at least 8 characters.";
    private const string Common = "This password is too common.";
    private const string Numeric = "This password is entirely numeric.";
    private const string Long = "This password is too long. It must contain at most 4096 characters.";

    private readonly DjangoPasswordPolicy _policy = new();

    public static TheoryData<string, string, string[]> DjangoCases => new()
    {
        { "testpassword", "test@gmail.com", [] },
        { "jsmith1234", "jsmith@example.com", [Similar] },
        { "example.com!", "jsmith@example.com", [Similar] },
        { "1234567", "a@b.co", [Short, Common, Numeric] },
        { "12345678", "a@b.co", [Common, Numeric] },
        { "password", "a@b.co", [Common] },
        { "  PassWord1 ", "a@b.co", [Common] },
        { "²³¹⁴⁵⁶⁷⁸⁹", "a@b.co", [Numeric] },
        { "correct horse battery staple", "a@b.co", [] },
        { "Tr0ub4dor&3x", "tr0ub4dor@x.io", [Similar] },
        { "gmail.com", "test@gmail.com", [Similar] },
        { new string('a', 100) + "co", "a@b.co", [] },
        { "zxqwvbnmlk", "a@b.co", [] },
        { "", "a@b.co", [Short] },
        { "ǅemail-12", "Ǆemail@x.de", [Similar] },
        { "jsmithexamplecom", "jsmith@example.com", [Similar] },
        { "moc.elpmaxe@htimsj", "jsmith@example.com", [Similar] },
        { "xk9-Lmq2-Pzr7", "user@host.dev", [] },
    };

    [Theory]
    [MemberData(nameof(DjangoCases))]
    public void GivesDjangosMessagesInDjangosOrder(string password, string email, string[] expected)
    {
        Assert.Equal(expected, _policy.Validate(password, email));
    }

    [Fact]
    public void EightCharactersIsLongEnoughAndSevenIsNot()
    {
        Assert.DoesNotContain(Short, _policy.Validate("qzvkwpxj", "a@b.co"));
        Assert.Contains(Short, _policy.Validate("qzvkwpx", "a@b.co"));
    }

    [Fact]
    public void LengthCountsCharactersNotUtf16Units()
    {
        // Seven emoji are fourteen UTF-16 units but seven characters to Python's len(), so still too short.
        Assert.Equal([Short], _policy.Validate(string.Concat(Enumerable.Repeat("🔑", 7)), "a@b.co"));
        Assert.Empty(_policy.Validate(string.Concat(Enumerable.Repeat("🔑", 8)), "a@b.co"));
    }

    [Fact]
    public void AcceptsUpTo4096CharactersAndRefusesLongerWithOneMessage()
    {
        var atLimit = string.Concat(Enumerable.Repeat("qzvkwpxj", 512));

        Assert.Empty(_policy.Validate(atLimit, "a@b.co"));
        Assert.Equal([Long], _policy.Validate(atLimit + "q", "a@b.co"));
    }

    [Theory]
    [InlineData("password1")]
    [InlineData("PASSWORD1")]
    [InlineData(" iloveyou ")]
    [InlineData("qwertyuiop")]
    public void CommonPasswordsAreRefusedWhateverTheirCaseOrSurroundingSpace(string password)
    {
        Assert.Contains(Common, _policy.Validate(password, "someone@example.org"));
    }

    [Fact]
    public void BundledListIsDjangosFullList()
    {
        using var resource = typeof(IPasswordPolicy).Assembly.GetManifestResourceStream("Qraft.Security.common-passwords.txt.gz");
        Assert.NotNull(resource);
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var lines = reader.ReadToEnd().Split('\n');

        Assert.Equal(19_727, lines.Length);
        Assert.Equal("chobits", lines[^1]);
    }

    [Fact]
    public void NumericRuleIgnoresPasswordsWithAnyNonDigit()
    {
        Assert.Contains(Numeric, _policy.Validate("8675309123", "a@b.co"));
        Assert.DoesNotContain(Numeric, _policy.Validate("8675309123x", "a@b.co"));
        Assert.DoesNotContain(Numeric, _policy.Validate("8675309.12", "a@b.co"));
    }

    [Fact]
    public void SimilarityIgnoresTheCaseOfPasswordAndEmail()
    {
        Assert.Equal([Similar], _policy.Validate("JSMITH1234", "jSmith@Example.com"));
    }
}
