using Aims.Evidence.Store;
using Aims.Functions.Bundles;
using Aims.Functions.Notifications;
using Aims.Pipeline;

namespace Aims.Functions.Hosting;

/// <summary>The services every function shares, built once at start (so bad configuration stops the handler at once).</summary>
public sealed class FunctionsRuntime(
    IConfiguration configuration,
    FunctionsSettings settings,
    EvidencePipeline pipeline,
    NotificationSettings notifications,
    HttpClient http,
    AzureCredentialSource credentials,
    BundleLinkSigner? bundleLinks)
{
    public IConfiguration Configuration { get; } = configuration;

    public FunctionsSettings Settings { get; } = settings;

    public EvidencePipeline Pipeline { get; } = pipeline;

    public IEvidenceStore Store => Pipeline.Store;

    public TimeProvider Time => Pipeline.Time;

    public NotificationSettings Notifications { get; } = notifications;

    /// <summary>The client notification channels send through (not collectors: they build their own).</summary>
    public HttpClient Http { get; } = http;

    public AzureCredentialSource Credentials { get; } = credentials;

    /// <summary>Signs bundle download links; null unless <c>Aims:Bundles:SasLinks</c> is true.</summary>
    public BundleLinkSigner? BundleLinks { get; } = bundleLinks;
}
