using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Qraft.Bench;

/// <summary>
/// Access tokens for seeded users, signed with the stack's key in the format login issues (HS256, email/exp/origIat),
/// so `me` can be loaded for thousands of users without spending thousands of password hashes on logins first.
/// </summary>
public static class Tokens
{
    private static readonly string Header = Base64Url.EncodeToString("""{"typ":"JWT","alg":"HS256"}"""u8);

    public static string Mint(string signingKey, string email, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Serialized, not interpolated: an email is any string the product accepts, quotes and backslashes included.
        // The escapes may differ from the product's bytes; the claims, which is what the replica reads, do not.
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { email, exp = now + (long)lifetime.TotalSeconds, origIat = now });
        var signingInput = $"{Header}.{Base64Url.EncodeToString(payload)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }
}
