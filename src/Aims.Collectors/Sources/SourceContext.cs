using Aims.Collectors.Http;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Sources;

/// <summary>What every collector may need from its host.</summary>
/// <param name="Time">Clock for observation times and retry waits.</param>
/// <param name="Loggers">Logging (never log a token or an Authorization header).</param>
/// <param name="BaseDirectory">Relative paths in settings resolve against this (the config file's folder).</param>
/// <param name="HttpHandler">
/// The HTTP handler collectors send through. Null in production (a <see cref="SocketsHttpHandler"/> is used);
/// tests pass one that trusts their local HTTPS fake's certificate.
/// </param>
/// <param name="Credential">
/// A credential override for Azure/Graph collectors (tests pass a fake); null means "choose from configuration".
/// </param>
/// <param name="ResponseCache">
/// Where HTTP collectors keep (ETag, body) per URL so an unchanged resource costs a 304; null means no conditional requests.
/// The host usually passes an <see cref="EvidenceStoreResponseCache"/> over the evidence store.
/// </param>
/// <param name="State">
/// Where collectors keep what lets the next run ask only for changes (delta links, ticket populations); null means
/// every run reads everything. The host usually passes an <see cref="EvidenceStoreCollectorState"/>.
/// </param>
public sealed record SourceContext(
    TimeProvider Time,
    ILoggerFactory Loggers,
    string BaseDirectory,
    HttpMessageHandler? HttpHandler = null,
    TokenCredential? Credential = null,
    IResponseCache? ResponseCache = null,
    ICollectorState? State = null)
{
    /// <summary>This context with the response cache and collector state kept in <paramref name="store"/>.</summary>
    public SourceContext WithStore(Aims.Evidence.Store.IEvidenceStore store) => this with
    {
        ResponseCache = new EvidenceStoreResponseCache(store, Loggers.CreateLogger<EvidenceStoreResponseCache>()),
        State = new EvidenceStoreCollectorState(store),
    };

    /// <summary>Resolves a path setting against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    /// <summary>An <see cref="HttpClient"/> over the shared handler (not disposing it).</summary>
    public HttpClient CreateHttpClient(Uri baseAddress, TimeSpan? timeout = null) =>
        new(HttpHandler ?? SharedHandler.Value, disposeHandler: false) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(100) };

    private static readonly Lazy<HttpMessageHandler> SharedHandler = new(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    });
}
