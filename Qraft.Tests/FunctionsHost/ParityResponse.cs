using System.Text;
using System.Text.RegularExpressions;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// A response reduced to what two hosts of the same app must agree on byte for byte: status, every header but
/// <c>Date</c> (the clock), and the body. <see cref="Normalized"/> blanks only what two separate requests cannot share:
/// each side's own account, tokens, hashes with their random salt, ids and times.
/// </summary>
public sealed partial record ParityResponse(int Status, string Headers, byte[] Body)
{
    public static async Task<ParityResponse> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal);
        return new ParityResponse((int)response.StatusCode, string.Join("\n", headers), await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Status, headers and the body as text, with this side's <paramref name="email"/> and the volatile values blanked.</summary>
    public string Normalized(string? email = null)
    {
        var text = Encoding.UTF8.GetString(Body);
        if (email is not null)
        {
            text = text.Replace(email, "<email>", StringComparison.Ordinal);
        }

        text = Jwt().Replace(text, "<jwt>");
        text = DjangoHash().Replace(text, "$1<salt>$<hash>");
        text = Timestamp().Replace(text, "<time>");
        text = EpochClaim().Replace(text, "\"$1\":<epoch>");
        text = OpaqueValue().Replace(text, "\"$1\":\"<opaque>\"");
        return $"{Status}\n{Headers}\n\n{text}";
    }

    [GeneratedRegex(@"eyJ[\w-]+\.[\w-]+\.[\w-]+")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(pbkdf2_sha256\$\d+\$)[^$""]+\$[^""]+")]
    private static partial Regex DjangoHash();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"""(exp|origIat|refreshExpiresIn)"":\d+")]
    private static partial Regex EpochClaim();

    [GeneratedRegex(@"""(id|refreshToken)"":""[^""]*""")]
    private static partial Regex OpaqueValue();
}
