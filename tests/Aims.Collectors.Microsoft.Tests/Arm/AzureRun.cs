using Aims.Collectors.Microsoft.Arm;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.Arm;

/// <summary>One collection run of the Azure source against the fake estate, and what it stored.</summary>
public sealed class AzureRun : IAsyncDisposable
{
    private readonly bool _ownsApi;

    private AzureRun(FakeApi api, EvidenceHarness harness, bool ownsApi)
    {
        Api = api;
        Harness = harness;
        _ownsApi = ownsApi;
    }

    public FakeApi Api { get; }

    public EvidenceHarness Harness { get; }

    public IReadOnlyList<EvidenceItem> Items { get; private set; } = [];

    public static async Task<AzureRun> StartAsync(
        Action<FakeApi>? routes = null,
        Action<Dictionary<string, string?>>? settings = null,
        Action<EvidenceHarness>? prepare = null,
        FakeApi? shared = null)
    {
        var owned = shared is null;
        var api = (shared?.Reset() ?? await FakeApi.StartAsync()).MapContosoEstate();
        routes?.Invoke(api);
        var run = new AzureRun(api, new EvidenceHarness(), owned);
        prepare?.Invoke(run.Harness);
        var values = FakeArmEstate.Settings(api);
        settings?.Invoke(values);
        var collector = new AzureSource().Create(EvidenceHarness.Section("Aims:Sources:Azure", values), run.Harness.Context(api));
        run.Items = await run.Harness.RunAsync(collector);
        return run;
    }

    public IReadOnlyList<EvidenceItem> OfKind(string kind) => Items.Where(i => i.Kind == kind).ToList();

    public EvidenceItem Single(string kind, string subjectId) => Items.Single(i => i.Kind == kind && i.Subject.Id == subjectId);

    public IReadOnlyList<EvidenceItem> Errors(string attemptedKind) =>
        Items.Where(i => i.IsCollectorError && i.IndexKind == attemptedKind).ToList();

    public async ValueTask DisposeAsync()
    {
        Harness.Dispose();
        if (_ownsApi)
        {
            await Api.DisposeAsync();
        }
    }
}
