using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Aims.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port) for tests that play a provider (GitHub, Graph, Jira...).
/// With <c>https: true</c> it serves a self-signed certificate made for this server alone; only the handler
/// from <see cref="CreateClientHandler"/> trusts it, so product code keeps full certificate validation.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requestCount;

    private LocalHttpServer(WebApplication app, Uri baseUri, X509Certificate2? certificate)
    {
        _app = app;
        BaseUri = baseUri;
        Certificate = certificate;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUri { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>Requests served so far.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Starts a server whose every request is answered by <paramref name="handler"/>.</summary>
    public static async Task<LocalHttpServer> StartAsync(Func<HttpContext, Task> handler, bool https = false)
    {
        var certificate = https ? SharedCertificate.Value : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        LocalHttpServer? server = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref server!._requestCount);
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        server = new LocalHttpServer(app, new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}/"), certificate);
        return server;
    }

    /// <summary>A client handler that trusts this server's certificate (and nothing else that fails validation).</summary>
    public HttpMessageHandler CreateClientHandler()
    {
        var expected = Certificate;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                    errors == SslPolicyErrors.None || (expected is not null && cert is not null && cert.GetCertHashString() == expected.GetCertHashString()),
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // One certificate per test process: making an RSA key costs about a second of CPU, and every server may share it.
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(CreateCertificate);

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
