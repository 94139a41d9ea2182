using Aims.Pipeline;
using Azure.Core;

namespace Aims.Functions.Hosting;

/// <summary>
/// What a test (or the local host simulator) replaces when it starts the handler in-process. Production passes none:
/// settings come from environment variables and the optional <c>AIMS_CONFIG</c> file, the clock is the system's,
/// HTTP goes through the default handler and Azure credentials come from <c>DefaultAzureCredential</c>.
/// </summary>
public sealed record HandlerOverrides
{
    /// <summary>Settings laid over the environment (highest precedence), e.g. <c>Aims:Store</c>.</summary>
    public IDictionary<string, string?>? Settings { get; init; }

    public TimeProvider? Time { get; init; }

    public SourceRegistry? Sources { get; init; }

    /// <summary>The HTTP handler collectors and notification channels send through (e.g. one trusting a local HTTPS fake).</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>The Azure credential for Graph mail and blob storage; never <c>DefaultAzureCredential</c> in tests.</summary>
    public TokenCredential? Credential { get; init; }
}
