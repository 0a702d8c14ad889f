using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// A throwaway self-signed certificate for 127.0.0.1, written as PEM files into a private temp folder so a test
/// server (Azurite) can serve HTTPS; it is its own CA, and <see cref="CreateTransport"/> trusts exactly it. Made in
/// process rather than with the openssl CLI: same files, no extra tool. Disposing deletes the folder and the key.
/// </summary>
public sealed class LoopbackCertificate : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly string _folder;
    private readonly X509Certificate2 _certificate;

    private LoopbackCertificate(string folder, X509Certificate2 certificate)
    {
        _folder = folder;
        _certificate = certificate;
    }

    public string CertificatePath => Path.Combine(_folder, "cert.pem");

    public string KeyPath => Path.Combine(_folder, "key.pem");

    public static LoopbackCertificate Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=qraft-test-127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));

        var folder = Directory.CreateTempSubdirectory("qraft-cert-").FullName;
        var created = new LoopbackCertificate(folder, certificate);
        File.WriteAllText(created.CertificatePath, certificate.ExportCertificatePem());
        // CreateTempSubdirectory makes the folder owner-only (0700), so the key is private to this user from the start.
        File.WriteAllText(created.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return created;
    }

    /// <summary>An Azure SDK transport that accepts this certificate, and nothing else, for 127.0.0.1.</summary>
    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, errors) => IsTrusted(presented, errors),
    });

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private bool IsTrusted(X509Certificate2? presented, SslPolicyErrors errors)
    {
        // The host name must still match; only the trust anchor is ours instead of the system store.
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
