using Aims.Evidence.Store;
using Aims.Functions.Notifications;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;

namespace Aims.Functions.Hosting;

/// <summary>The services every function shares, built once at start (so bad configuration stops the worker at once).</summary>
public sealed class FunctionsRuntime(
    IConfiguration configuration,
    FunctionsSettings settings,
    EvidencePipeline pipeline,
    NotificationSettings notifications,
    HttpClient http,
    AzureCredentials credentials)
{
    public IConfiguration Configuration { get; } = configuration;

    public FunctionsSettings Settings { get; } = settings;

    public EvidencePipeline Pipeline { get; } = pipeline;

    public IEvidenceStore Store => Pipeline.Store;

    public TimeProvider Time => Pipeline.Time;

    public NotificationSettings Notifications { get; } = notifications;

    /// <summary>The client notification channels send through (not collectors: they build their own).</summary>
    public HttpClient Http { get; } = http;

    public AzureCredentials Credentials { get; } = credentials;
}
