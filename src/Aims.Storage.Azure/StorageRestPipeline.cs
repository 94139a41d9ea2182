using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aims.Storage.Azure;

/// <summary>
/// The Azure.Core pipeline one Blob or Queue client sends through: retries and per-try timeouts from the
/// client options, and one per-retry authorization policy (SharedKey, or a bearer token for https).
/// </summary>
internal sealed class StorageRestPipeline
{
    private readonly HttpPipeline _pipeline;

    private StorageRestPipeline(Uri resourceUri, HttpPipeline pipeline)
    {
        ResourceUri = resourceUri;
        _pipeline = pipeline;
    }

    /// <summary>The container or queue URL, without a trailing slash.</summary>
    public Uri ResourceUri { get; }

    public static StorageRestPipeline Create(Uri resourceUri, ClientOptions options, StorageSharedKeyCredential credential, TimeProvider time) =>
        new(Normalize(resourceUri), HttpPipelineBuilder.Build(options, perRetryPolicies: new SharedKeySigningPolicy(credential, time)));

    public static StorageRestPipeline Create(Uri resourceUri, ClientOptions options, TokenCredential credential)
    {
        if (resourceUri.Scheme != Uri.UriSchemeHttps)
        {
            // Bearer tokens must never travel over plain http; Azurite over http uses SharedKey instead.
            throw new ArgumentException($"Token authentication needs an https endpoint, but {resourceUri.GetLeftPart(UriPartial.Path)} is {resourceUri.Scheme}. For Azurite use a connection string (SharedKey).", nameof(resourceUri));
        }

        return new(Normalize(resourceUri), HttpPipelineBuilder.Build(options, perRetryPolicies: new BearerTokenAuthenticationPolicy(credential, StorageConstants.TokenScope)));
    }

    /// <summary>A request to the resource itself (<paramref name="path"/> null) or to a child (blob name, "messages/{id}").</summary>
    public HttpMessage CreateMessage(RequestMethod method, string? path = null, params (string Name, string? Value)[] query)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(ResourceUri);
        if (!string.IsNullOrEmpty(path))
        {
            request.Uri.AppendPath("/" + EscapePath(path), escape: false);
        }

        foreach (var (name, value) in query)
        {
            if (value is not null)
            {
                request.Uri.AppendQuery(name, value, true);
            }
        }

        request.Headers.SetValue(StorageConstants.VersionHeader, StorageConstants.ServiceVersion);
        return message;
    }

    /// <summary>Sends a message; 4xx/5xx come back as a response (the caller decides), transport failures throw after retries.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    /// <summary>Sends a message and throws <see cref="RequestFailedException"/> (with the service's error code) when it failed.</summary>
    public async Task<Response> SendCheckedAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.IsError ? throw Failure(response) : response;
    }

    public static RequestFailedException Failure(Response response) => new(response, null, StorageErrorParser.Instance);

    /// <summary>Escapes each segment of a blob name, keeping the slashes that make virtual folders.</summary>
    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static Uri Normalize(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{uri}' is not an http(s) URL.", nameof(uri));
        }

        if (!string.IsNullOrEmpty(uri.Query))
        {
            throw new ArgumentException($"The storage URL {uri.GetLeftPart(UriPartial.Path)} carries a query (a SAS?); SAS URLs are not supported: use SharedKey or a token credential.", nameof(uri));
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}
