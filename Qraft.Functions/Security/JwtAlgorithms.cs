namespace Qraft.Security;

/// <summary>The JWS algorithms (RFC 7518 names) that <c>Jwt__Algorithm</c> may name.</summary>
public static class JwtAlgorithms
{
    public const string HS256 = "HS256";
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    public static bool IsAsymmetric(string algorithm) => algorithm is ES256 or RS256;

    public static bool IsKnown(string algorithm) => algorithm is HS256 or ES256 or RS256;
}
