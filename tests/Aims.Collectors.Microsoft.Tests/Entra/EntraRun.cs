using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.Entra;

/// <summary>One collection run of the Entra source against the fake Contoso tenant, and what it stored.</summary>
public sealed class EntraRun : IAsyncDisposable
{
    private readonly bool _ownsApi;

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _withState;
    private int _runs = 1;

    private EntraRun(FakeApi api, FakeDirectory directory, EvidenceHarness harness, bool ownsApi, Dictionary<string, string?> settings, bool withState)
    {
        Api = api;
        Directory = directory;
        Harness = harness;
        _ownsApi = ownsApi;
        _settings = settings;
        _withState = withState;
    }

    public FakeApi Api { get; }

    /// <summary>The fake tenant's groups: change them, then <see cref="RunAgainAsync"/> to see what a re-run makes of it.</summary>
    public FakeDirectory Directory { get; }

    public EvidenceHarness Harness { get; }

    public IReadOnlyList<EvidenceItem> Items { get; private set; } = [];

    /// <summary>
    /// Starts the fake (or resets a <paramref name="shared"/> one), lets the test change routes and settings, then plans
    /// and runs every job. <paramref name="withState"/> gives the collector state in the run's store, as the hosts do.
    /// </summary>
    public static async Task<EntraRun> StartAsync(
        Action<FakeApi>? routes = null,
        Action<Dictionary<string, string?>>? settings = null,
        FakeApi? shared = null,
        bool withState = false,
        EvidencePeriod? period = null,
        bool parallel = false)
    {
        var owned = shared is null;
        var directory = FakeDirectory.Contoso();
        var api = (shared?.Reset() ?? await FakeApi.StartAsync()).MapContosoTenant(directory);
        routes?.Invoke(api);
        var values = FakeGraphTenant.Settings(api);
        settings?.Invoke(values);
        var run = new EntraRun(api, directory, new EvidenceHarness(), owned, values, withState);
        run.Harness.PlanPeriod = period ?? EvidenceHarness.Period;
        run.Items = await run.RunOnceAsync("run-1", parallel: parallel);
        return run;
    }

    /// <summary>
    /// Runs every job again against the same store and fake (a day later on the harness clock), counting only this
    /// run's requests; <see cref="Items"/> becomes what this run stored. <paramref name="withState"/> = false runs
    /// without collector state: the full read a delta re-run must agree with.
    /// </summary>
    public async Task<IReadOnlyList<EvidenceItem>> RunAgainAsync(TimeSpan? after = null, bool? withState = null)
    {
        Harness.Time.Advance(after ?? TimeSpan.FromDays(1));
        Api.ClearRequests();
        var runId = $"run-{++_runs}";
        Items = (await RunOnceAsync(runId, withState ?? _withState)).Where(i => i.RunId == runId).ToList();
        return Items;
    }

    private async Task<IReadOnlyList<EvidenceItem>> RunOnceAsync(string runId, bool? withState = null, bool parallel = false)
    {
        var context = Harness.Context(Api);
        var collector = new EntraIdSource().Create(EvidenceHarness.Section("Aims:Sources:EntraId", _settings), withState ?? _withState ? context.WithStore(Harness.Store) : context);
        return await Harness.RunAsync(collector, runId, parallel);
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
