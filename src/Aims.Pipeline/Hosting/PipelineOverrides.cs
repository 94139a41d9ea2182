using Azure.Core;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// What a test replaces when it composes the services: the HTTP handler collectors and channels send through (e.g.
/// one trusting a local HTTPS fake), the Azure credential (never <c>DefaultAzureCredential</c> in tests) and the
/// sources. Production registers none.
/// </summary>
public sealed record PipelineOverrides
{
    public HttpMessageHandler? HttpHandler { get; init; }

    public TokenCredential? Credential { get; init; }

    public SourceRegistry? Sources { get; init; }

    /// <summary>A signing key file named on the command line (<c>--signing-key</c>), over <c>Aims:Signing:KeyFile</c>.</summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>Which shell writes (recorded in every signed checkpoint as the writer, with the product version).</summary>
    public string Host { get; init; } = "aims-functions";
}
