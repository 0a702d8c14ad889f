using System.Text;
using System.Text.RegularExpressions;
using Qraft.Tests.Infrastructure;
using Qraft.Tests.Stack;

namespace Qraft.Tests.Hostile;

/// <summary>No private key or secret is committed (issue 6): every file git tracks is scanned.</summary>
public sealed partial class SecretScanTests
{
    /// <summary>Azurite's development account key: public, published by Microsoft for the emulator.</summary>
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Vendored, minified third-party code (tools/update-graphiql), scanned for keys but not for entropy.</summary>
    private const string VendoredAssets = "Qraft.Functions/GraphQL/GraphiQL/assets/";

    /// <summary>
    /// Values that look secret but are not, each with its reason. Test keys are made up for tests and protect nothing;
    /// a value here must never be used outside the tests.
    /// </summary>
    private static readonly HashSet<string> KnownPublic = new(StringComparer.Ordinal)
    {
        "qraft-test-signing-key-0123456789abcdef",                       // JwtAccessTokensTests, SecurityPropertyTests, Fakes
        "a-completely-different-key-of-32-bytes-or-more",                 // JwtAccessTokensTests: the wrong key
        "django-insecure-3v#9k@x!q7m2$w8p^z5r&t1y(u4i)o6e0a-s=d+f_g",     // JwtAccessTokensTests: a made-up Django SECRET_KEY
        "only-twenty-six-bytes-long",                                     // SecurityRegistrationTests: a key refused as too short
        "Vivid-Harbor-Lantern-42",                                        // stack tests: the password of throwaway test accounts
        "Quiet-Meadow-Compass-17",                                        // stack tests: the new password they change to
        "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f901",                       // SecretRedactorTests: a made-up refresh token to redact
    };

    [Fact]
    public async Task NoTrackedFileHoldsAPrivateKey()
    {
        var hits = await ScanAsync(PrivateKey(), _ => true);

        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
    }

    [Fact]
    public async Task NoTrackedFileHoldsAnAzureStorageKeyOtherThanAzuritesPublishedOne()
    {
        var hits = await ScanAsync(AccountKey(), m => m.Groups["key"].Value != AzuriteKey);

        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
    }

    [Fact]
    public async Task NoTrackedFileOutsideTheTestsHoldsAJwt()
    {
        var hits = await ScanAsync(Jwt(), _ => true, path => !path.StartsWith("Qraft.Tests/", StringComparison.Ordinal));

        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
    }

    [Fact]
    public async Task NoTrackedFileAssignsAHighEntropyValueToAKeySecretOrPasswordName()
    {
        var hits = await ScanAsync(
            SecretAssignment(),
            m => IsSecretLooking(m.Groups["value"].Value),
            path => !path.StartsWith(VendoredAssets, StringComparison.Ordinal));

        Assert.True(hits.Count == 0, string.Join(Environment.NewLine, hits));
    }

    [Fact]
    public void TheScannersFindWhatTheyLookFor()
    {
        // Each pattern against a planted sample, so an empty scan above means "nothing there", not "pattern broken".
        var pem = "-----BEGIN EC " + "PRIVATE KEY-----\nMHcCAQEE\n";
        var account = "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=" + "bm90LWEtcmVhbC1rZXktYnV0LWxvb2tzLWxpa2Utb25lLTAxMjM0NTY3ODk=;";
        var jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9" + ".eyJlbWFpbCI6ImFAYi5jbyJ9.abcDEF123456789_-xyz";
        var assignment = "Jwt__SigningKey=" + "9f3kQ2zLx8PpV7wR1tYb6NcH4mJd0sGe";

        Assert.Matches(PrivateKey(), pem);
        Assert.NotEqual(AzuriteKey, AccountKey().Match(account).Groups["key"].Value);
        Assert.Matches(Jwt(), jwt);
        Assert.True(IsSecretLooking(SecretAssignment().Match(assignment).Groups["value"].Value));
        Assert.True(BitsPerCharacter("changeme-changeme-changeme") < 3.5);
    }

    private static async Task<List<string>> ScanAsync(Regex pattern, Func<Match, bool> isSecret, Func<string, bool>? include = null)
    {
        var files = await Command.RunAsync("git", ["ls-files", "-z"]);
        Assert.True(files.ExitCode == 0, files.ToString());
        var paths = files.StdOut.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(paths.Length > 100, $"git ls-files listed only {paths.Length} files");

        var hits = new List<string>();
        foreach (var path in paths.Where(p => include?.Invoke(p) ?? true))
        {
            var full = RepoPaths.Of(path);
            if (!File.Exists(full))
            {
                continue; // deleted in the working tree
            }

            var bytes = await File.ReadAllBytesAsync(full);
            if (bytes.AsSpan().Contains((byte)0))
            {
                continue; // binary (gzip data): no text secret to find
            }

            foreach (Match match in pattern.Matches(Encoding.UTF8.GetString(bytes)))
            {
                if (isSecret(match))
                {
                    hits.Add($"{path}: {match.Value[..Math.Min(match.Value.Length, 60)]}");
                }
            }
        }

        return hits;
    }

    /// <summary>
    /// High entropy, and none of: a known public value, Azurite's key, a GUID (Azure role ids are public), the
    /// examples' "replace-with-..." placeholders, or a JWT (the tests' golden tokens are signed with test keys; JWTs
    /// outside the tests are caught by <see cref="NoTrackedFileOutsideTheTestsHoldsAJwt"/>).
    /// </summary>
    private static bool IsSecretLooking(string value) =>
        !KnownPublic.Contains(value)
        && value != AzuriteKey
        && !Guid.TryParse(value, out _)
        && !value.StartsWith("replace-with-", StringComparison.Ordinal)
        && !value.StartsWith("eyJ", StringComparison.Ordinal)
        && BitsPerCharacter(value) >= 3.5;

    /// <summary>Shannon entropy in bits per character: random keys sit near 4-6, words and placeholders lower.</summary>
    private static double BitsPerCharacter(string value) =>
        value.GroupBy(c => c).Sum(g => -((double)g.Count() / value.Length) * Math.Log2((double)g.Count() / value.Length));

    [GeneratedRegex("-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex("AccountKey=(?<key>[A-Za-z0-9+/=]{20,})")]
    private static partial Regex AccountKey();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex Jwt();

    // NAME = "value", NAME: value, NAME=value, "name": "value" where NAME says key, secret, password, token or credential.
    [GeneratedRegex(
        """(?i)(?:key|secret|passw(?:or)?d|token|credential)[A-Za-z0-9_]*["']?\s*[:=]\s*["']?(?<value>[A-Za-z0-9+/=_\-]{20,})(?![A-Za-z0-9+/=_\-.(])""")]
    private static partial Regex SecretAssignment();
}
