using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.Entra;

/// <summary>One collection run of the Entra source against the fake Contoso tenant, and what it stored.</summary>
public sealed class EntraRun : IAsyncDisposable
{
    private readonly bool _ownsApi;

    private EntraRun(FakeApi api, EvidenceHarness harness, bool ownsApi)
    {
        Api = api;
        Harness = harness;
        _ownsApi = ownsApi;
    }

    public FakeApi Api { get; }

    public EvidenceHarness Harness { get; }

    public IReadOnlyList<EvidenceItem> Items { get; private set; } = [];

    /// <summary>
    /// Starts the fake (or resets a <paramref name="shared"/> one), lets the test change routes and settings, then plans
    /// and runs every job.
    /// </summary>
    public static async Task<EntraRun> StartAsync(Action<FakeApi>? routes = null, Action<Dictionary<string, string?>>? settings = null, FakeApi? shared = null)
    {
        var owned = shared is null;
        var api = (shared?.Reset() ?? await FakeApi.StartAsync()).MapContosoTenant();
        routes?.Invoke(api);
        var run = new EntraRun(api, new EvidenceHarness(), owned);
        var values = FakeGraphTenant.Settings(api);
        settings?.Invoke(values);
        var collector = new EntraIdSource().Create(EvidenceHarness.Section("Aims:Sources:EntraId", values), run.Harness.Context(api));
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
