using Azure.Core;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace Aims.Collectors.Microsoft.Settings;

/// <summary>How every Graph source builds its client, so they share one set of middleware and one token rule.</summary>
internal static class GraphClients
{
    /// <summary>
    /// The Graph client over the SDK's default middleware (retry honouring <c>Retry-After</c> on 429/503/504,
    /// redirects, compression). Kiota attaches the token only to https URLs on the Graph host.
    /// </summary>
    public static GraphServiceClient Create(Uri baseUrl, string scope, TokenCredential credential, HttpMessageHandler handler)
    {
        var http = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers(), finalHandler: handler, disposeHandler: false);
        var authentication = new AzureIdentityAuthenticationProvider(
            credential,
            allowedHosts: [baseUrl.Host],
            observabilityOptions: null,
            isCaeEnabled: true,
            scopes: [scope]);
        return new GraphServiceClient(http, authentication, baseUrl.ToString().TrimEnd('/'));
    }
}
