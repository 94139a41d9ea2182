using System.Globalization;
using System.Runtime.CompilerServices;
using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// Collects governed documents from SharePoint document libraries through the Microsoft Graph SDK: one job per
/// configured library, so one library that cannot be read (no grant, renamed) never holds up the others.
/// </summary>
internal sealed class SharePointCollector(
    SharePointSettings settings,
    TokenCredential credential,
    HttpMessageHandler handler,
    ILogger logger,
    TimeProvider time,
    ICollectorState? state = null) : IEvidenceCollector
{
    public const string LibraryParameter = "library";

    public string Source => SharePointSource.SourceName;

    public IReadOnlyList<string> Kinds => [EvidenceKinds.Document];

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < settings.Libraries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CollectionJob(
                plan.RunId,
                $"sharepoint:{i + 1:D2}",
                Source,
                plan.Period,
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [LibraryParameter] = i.ToString(CultureInfo.InvariantCulture),
                    ["site"] = settings.Libraries[i].Site,
                    ["name"] = settings.Libraries[i].Library,
                });
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        // The job names its library by position and by site and name, so a message planned before the configuration
        // changed is refused rather than run against another library.
        var library = int.TryParse(job.Parameter(LibraryParameter), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < settings.Libraries.Count
            ? settings.Libraries[index]
            : null;
        if (library is null || library.Site != job.Parameter("site") || library.Library != job.Parameter("name"))
        {
            await sink.ReportErrorAsync(
                new Subject("source", $"sharepoint:{job.Parameter("site")}/{job.Parameter("name")}", $"{job.Parameter("site")} / {job.Parameter("name")}"),
                EvidenceKinds.Document,
                job.JobId,
                $"job {job.JobId} names a library that is no longer configured under {settings.Path}:Libraries",
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        using var client = CreateClient();
        var read = new LibraryRead(client, settings, library, sink, logger, time, state);
        await read.RunAsync(new Subject("source", $"sharepoint:{library.Site}/{library.Library}", library.ToString()), cancellationToken).ConfigureAwait(false);
    }

    private GraphServiceClient CreateClient() => GraphClients.Create(settings.BaseUrl, settings.Scope, credential, handler);
}
