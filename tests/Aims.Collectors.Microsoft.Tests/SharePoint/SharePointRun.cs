using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.SharePoint;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>Collection runs of the SharePoint source against a fake site, with collector state in the run's store as the hosts keep it.</summary>
public sealed class SharePointRun : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private int _runs;

    private SharePointRun(FakeApi api, Dictionary<string, string?> settings)
    {
        Api = api;
        Site = new FakeSharePoint(api).Map();
        _settings = settings;
    }

    public FakeApi Api { get; }

    public FakeSharePoint Site { get; }

    public EvidenceHarness Harness { get; } = new();

    public IReadOnlyList<EvidenceItem> Items { get; private set; } = [];

    /// <summary>Downloads the last run made (requests to the download URL).</summary>
    public int Downloads => Api.Requests.Count(r => r.Path.StartsWith("/download/", StringComparison.Ordinal));

    /// <summary>The settings every SharePoint test starts from: the fake's Graph root, the site by URL, one library.</summary>
    public static Dictionary<string, string?> DefaultSettings(FakeApi api) => new()
    {
        ["BaseUrl"] = $"{api.Root}/v1.0",
        ["Libraries:0:Site"] = FakeSharePoint.SiteUrl,
        ["Libraries:0:Library"] = "Governance Documents",
    };

    /// <summary>A fake site on the shared server (reset), with the test's files; nothing is run yet.</summary>
    public static SharePointRun Create(FakeApi shared, Action<Dictionary<string, string?>>? settings = null)
    {
        shared.Reset();
        var values = DefaultSettings(shared);
        settings?.Invoke(values);
        return new SharePointRun(shared, values);
    }

    /// <summary>
    /// Plans and runs every job (a day after the previous run on the harness clock), counting only this run's requests;
    /// <see cref="Items"/> becomes what this run stored.
    /// </summary>
    public async Task<IReadOnlyList<EvidenceItem>> RunAsync(TimeSpan? after = null)
    {
        if (_runs > 0)
        {
            Harness.Time.Advance(after ?? TimeSpan.FromDays(1));
        }

        Api.ClearRequests();
        var runId = $"run-{++_runs}";
        var context = Harness.Context(Api).WithStore(Harness.Store);
        var collector = new SharePointSource().Create(EvidenceHarness.Section("Aims:Sources:SharePoint", _settings), context);
        Items = (await Harness.RunAsync(collector, runId)).Where(i => i.RunId == runId).ToList();
        return Items;
    }

    public IReadOnlyList<EvidenceItem> Documents => Items.Where(i => !i.IsCollectorError).ToList();

    public IReadOnlyList<EvidenceItem> Errors => Items.Where(i => i.IsCollectorError).ToList();

    public EvidenceItem Document(string name) => Documents.Single(i => i.Subject.Id.EndsWith("/" + name, StringComparison.Ordinal));

    public static string? Fact(EvidenceItem item, string name) => item.Facts[name] is JsonValue v ? v.ToString() : item.Facts[name]?.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        Harness.Dispose();
        await ValueTask.CompletedTask;
    }
}
