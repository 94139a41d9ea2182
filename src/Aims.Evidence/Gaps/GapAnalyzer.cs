using System.Buffers;
using Aims.Evidence.Catalog;
using Aims.Evidence.Checks;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;

namespace Aims.Evidence.Gaps;

/// <summary>Options for one analysis.</summary>
/// <param name="Organization">Shown in reports.</param>
/// <param name="AsOf">The analysis date.</param>
/// <param name="Calendar">Audit dates (for "expiring").</param>
/// <param name="Sources">Configuration state of each source family.</param>
/// <param name="AiSystem">When set, only subjects attributed to this AI system count.</param>
/// <param name="Inventory">The AI system inventory, for per-system results and unregistered-AI findings.</param>
public sealed record GapAnalysisOptions(string Organization, DateTimeOffset AsOf, AuditCalendar Calendar, IReadOnlyList<SourceState> Sources, string? AiSystem = null, AiInventory? Inventory = null);

/// <summary>
/// Catalog × requirements × latest evidence × audit calendar → statuses. Reads only the store's indexes and the
/// latest item per subject: the cost grows with the number of subjects, never with the history. One kind at a time:
/// its index is streamed, each latest item is read and checked once, every requirement, AI-system view, collector
/// problem and unregistered-AI finding that needs it is worked out while it is in hand, and then it is dropped. So
/// memory holds one kind's index and the (small) results, never the items of every kind.
/// </summary>
public sealed class GapAnalyzer(IEvidenceStore store, RequirementSet requirements, CheckRegistry checks, ControlCatalog? catalog = null)
{
    /// <summary>Items read at once: enough to hide a blob round trip, few enough that items in flight stay a handful.</summary>
    private const int ReadsInFlight = 16;

    private readonly ControlCatalog _catalog = catalog ?? ControlCatalog.Default;

    public async Task<GapReport> AnalyzeAsync(GapAnalysisOptions options, CancellationToken cancellationToken = default)
    {
        var nextAudit = options.Calendar.NextAudit(options.AsOf);
        var viewed = options.Inventory?.Systems.Where(s => options.AiSystem is null || string.Equals(s.Id, options.AiSystem, StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
        var tally = new Tally(requirements.Requirements.Count, viewed.Select(s => s.Id).Append(options.AiSystem).OfType<string>());

        var indexedKinds = new List<string>();
        await foreach (var kind in store.ListIndexedKindsAsync(cancellationToken).ConfigureAwait(false))
        {
            indexedKinds.Add(kind);
        }

        var problemsByKind = new Dictionary<string, List<CollectorProblem>>(StringComparer.Ordinal);
        var unregistered = new List<UnregisteredAiFinding>();
        var detectIn = options.Inventory is null ? [] : UnregisteredAiDetector.Kinds;
        var kinds = requirements.Requirements.Select(r => r.Kind).Concat(indexedKinds).Concat(detectIn).Distinct(StringComparer.Ordinal).ToList();
        foreach (var kind in kinds)
        {
            var pass = new KindPass(kind, requirements.Requirements, Enumerable.Range(0, requirements.Requirements.Count).Where(r => requirements.Requirements[r].Kind == kind).ToList(),
                indexedKinds.Contains(kind, StringComparer.Ordinal), options.Inventory is { } inventory && detectIn.Contains(kind, StringComparer.Ordinal) ? inventory : null);
            var index = await KnownOnAsync(kind, options.AsOf, cancellationToken).ConfigureAwait(false);
            await AnalyzeKindAsync(pass, index, options, nextAudit, cancellationToken).ConfigureAwait(false);
            tally.Add(pass);
            if (pass.CollectsProblems)
            {
                problemsByKind[kind] = pass.Problems.OfType<CollectorProblem>().ToList();
            }

            unregistered.AddRange(pass.Unregistered.Where(u => u is not null).SelectMany(u => u!));
        }

        var results = new List<RequirementResult>();
        for (var position = 0; position < requirements.Requirements.Count; position++)
        {
            var requirement = requirements.Requirements[position];
            RequirementResult result;
            if (options.AiSystem is { } only)
            {
                result = Finish(requirement, tally.For(position, only), options);
                if (IsOrganizationWide(requirement, result, only, options.Inventory))
                {
                    // An AI policy is not missing for one system: it is the organization's, whatever its status.
                    var organization = Finish(requirement, tally.All(position), options);
                    result = organization with { OrganizationWide = true, Reason = $"Organization-wide, not specific to AI system '{only}': {organization.Reason}" };
                }
            }
            else
            {
                result = Finish(requirement, tally.All(position), options);
            }

            results.Add(result);
        }

        var problems = indexedKinds.SelectMany(k => problemsByKind.GetValueOrDefault(k) ?? []).ToList();
        var systems = options.Inventory is { } known ? viewed.Select(s => EvaluateSystem(s, known, tally, options)).ToList() : [];
        var controls = _catalog.Controls.Select(c => ControlStatus(c, results, systems)).ToList();
        return new GapReport(options.Organization, options.AsOf, nextAudit, options.AiSystem, controls, results,
            problems.OrderByDescending(p => p.ObservedAt).ThenBy(p => p.SubjectKey, StringComparer.Ordinal).ToList(), options.Sources)
        {
            AiSystems = systems,
            UnregisteredAi = unregistered.OrderBy(u => u.Kind, StringComparer.Ordinal).ThenBy(u => u.SubjectKey, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// Reads and checks each latest item of one kind once (<see cref="ReadsInFlight"/> at a time) and records, per
    /// index entry, what each of the kind's requirements, the collector problems and the unregistered-AI detector make
    /// of it. Results land in per-entry slots, so the outcome is in index order whatever order the reads finish in.
    /// </summary>
    private async Task AnalyzeKindAsync(KindPass pass, EvidenceIndex index, GapAnalysisOptions options, DateTimeOffset? nextAudit, CancellationToken cancellationToken)
    {
        var entries = index.Entries.ToArray();
        pass.Start(entries.Length);
        if (entries.Length == 0)
        {
            return;
        }

        // A failure of the whole source is superseded by any later successful observation of the kind.
        var latestGood = entries.Where(e => !e.IsError).Select(e => e.ObservedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        await Parallel.ForEachAsync(Enumerable.Range(0, entries.Length), new ParallelOptions { MaxDegreeOfParallelism = ReadsInFlight, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var entry = entries[i];
            var superseded = entry.IsError && entry.SubjectKey.StartsWith("source/", StringComparison.Ordinal) && entry.ObservedAt < latestGood;
            var scored = pass.Positions.Count > 0 && !superseded;
            var problem = pass.CollectsProblems && entry.IsError;
            var detected = pass.Inventory is not null && !entry.IsError;
            if (!scored && !problem && !detected)
            {
                return;
            }

            var (item, alteration) = await ReadCheckedAsync(entry, ct).ConfigureAwait(false);
            if (scored)
            {
                for (var r = 0; r < pass.Positions.Count; r++)
                {
                    pass.Scores[r][i] = Score(pass.Requirements[pass.Positions[r]], entry, item, alteration, options.AsOf, nextAudit);
                }
            }

            if (problem && (options.AiSystem is null || item is null || InSystem(item, options.AiSystem)))
            {
                pass.Problems[i] = new CollectorProblem(pass.Kind, entry.SubjectKey, entry.ItemId, entry.ObservedAt,
                    FactReader.GetString(item?.Facts ?? [], "error") ?? "unknown error", FactReader.GetString(item?.Facts ?? [], "source") ?? EvidenceKinds.SourceOf(pass.Kind));
            }

            if (detected && item is not null)
            {
                pass.Unregistered[i] = UnregisteredAiDetector.Find(pass.Inventory!, [item]).ToArray();
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// What one index entry means for one requirement, or null when it does not count for it (out of scope, or a
    /// source failure superseded by a later success). Altered and missing items count for every AI system's view, as
    /// does a failure of the whole source; anything else counts for the systems its subject is attributed to.
    /// </summary>
    private Scored? Score(Requirement requirement, IndexEntry entry, EvidenceItem? item, string? alteration, DateTimeOffset asOf, DateTimeOffset? nextAudit)
    {
        if (alteration is not null)
        {
            return new Scored(new SubjectResult(entry.SubjectKey, entry.SubjectKey, [], GapStatus.Failing, alteration, entry.ItemId, entry.ObservedAt, null, null, []), EverySystem: true);
        }

        if (item is null)
        {
            return new Scored(new SubjectResult(entry.SubjectKey, entry.SubjectKey, [], GapStatus.CollectorError,
                $"The index points to item {entry.ItemId}, which is not in the store (run 'aims verify --store').", entry.ItemId, entry.ObservedAt, null, null, []), EverySystem: true);
        }

        return requirement.Scope.Matches(item)
            ? new Scored(EvaluateSubject(requirement, item, asOf, nextAudit), EverySystem: item.IsCollectorError && item.Subject.Type == "source")
            : null;
    }

    /// <summary>
    /// A control takes the worst status of its requirements and of every AI system's results for those requirements,
    /// so a system lacking its technical documentation shows in "By control" as well as in "By AI system".
    /// </summary>
    private static ControlResult ControlStatus(Catalog.Control control, IReadOnlyList<RequirementResult> results, IReadOnlyList<AiSystemResult> systems)
    {
        bool Covers(RequirementResult r) => r.Requirement.Controls.Contains(control.Id, StringComparer.OrdinalIgnoreCase);
        var requirementResults = results.Where(Covers).ToList();
        var bySystem = systems
            .Select(s => (s.System.Id, Statuses: s.RequiredRecords.Concat(s.Requirements).Where(Covers).Select(r => r.Status).ToList()))
            .Where(s => s.Statuses.Count > 0)
            .ToDictionary(s => s.Id, s => GapStatusNames.Worst(s.Statuses), StringComparer.Ordinal);
        var status = GapStatusNames.Worst(requirementResults.Select(r => r.Status).Concat(bySystem.Values));
        return new ControlResult(control, status, requirementResults) { AiSystems = bySystem };
    }

    /// <summary>
    /// For one system's analysis: a requirement that is neither one of the inventory's required records nor backed by
    /// evidence attributed to the system concerns the organization as a whole.
    /// </summary>
    private static bool IsOrganizationWide(Requirement requirement, RequirementResult result, string system, AiInventory? inventory) =>
        !(inventory?.RequiredRecords.Contains(requirement.Id, StringComparer.OrdinalIgnoreCase) ?? false)
        && !result.Subjects.Any(s => s.AiSystems.Contains(system, StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// One system's view: each required record must have evidence attributed to the system (else missing); every other
    /// requirement is shown when the system has evidence for it. A retired system owes no records.
    /// </summary>
    private AiSystemResult EvaluateSystem(AiSystem system, AiInventory inventory, Tally tally, GapAnalysisOptions options)
    {
        var records = new List<RequirementResult>();
        var others = new List<RequirementResult>();
        for (var position = 0; position < requirements.Requirements.Count; position++)
        {
            var requirement = requirements.Requirements[position];
            var result = Finish(requirement, tally.For(position, system.Id), options);
            var isRecord = inventory.RequiredRecords.Contains(requirement.Id, StringComparer.OrdinalIgnoreCase);
            var attributed = result.Subjects.Any(s => s.AiSystems.Contains(system.Id, StringComparer.OrdinalIgnoreCase));
            if (isRecord && !system.IsRetired)
            {
                records.Add(attributed || result.Status == GapStatus.NotApplicable
                    ? result
                    : result with { Status = GapStatus.Missing, Reason = $"No {requirement.Id} evidence attributed to AI system '{system.Id}'.", Subjects = [] });
            }
            else if (attributed)
            {
                others.Add(result with { Subjects = result.Subjects.Where(s => s.AiSystems.Contains(system.Id, StringComparer.OrdinalIgnoreCase)).ToList() });
            }
        }

        var all = records.Concat(others).Select(r => r.Status).ToList();
        var status = system.IsRetired && records.Count == 0 && others.Count == 0 ? GapStatus.NotApplicable : GapStatusNames.Worst(all.Count == 0 ? [GapStatus.Missing] : all);
        return new AiSystemResult(system, status, records, others);
    }

    /// <summary>
    /// Reads the item the index points at and checks it as it is read: it must be valid UTF-8 and JSON of an item's
    /// shape, its stored bytes must hash to the hash the index (and so the ledger) recorded, and it must be the item the
    /// index names. Anything else is an alteration (a tamper finding, never evidence); an absent item is (null, null).
    /// The bytes are read once, parsed once and hashed once: the stored form is the canonical form the hash is defined
    /// over plus the hash itself (<see cref="EvidenceItemJson.ComputeStoredHash"/>), so nothing is re-serialized.
    /// </summary>
    private async Task<(EvidenceItem? Item, string? Alteration)> ReadCheckedAsync(IndexEntry entry, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenItemAsync(entry.ItemId, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return (null, null);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(stream.CanSeek ? (int)Math.Min(stream.Length + 1, 1 << 20) : 16 * 1024);
        try
        {
            var length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            var stored = buffer.AsSpan(0, length);
            EvidenceItem item;
            try
            {
                item = EvidenceItemJson.Parse(stored);
            }
            catch (FormatException ex)
            {
                return (null, $"Item {entry.ItemId} is unreadable ({ex.Message}): the stored evidence was altered (run 'aims verify --store').");
            }

            if (item.Id != entry.ItemId || item.Sha256 != entry.ItemSha256 || EvidenceItemJson.ComputeStoredHash(stored) != entry.ItemSha256)
            {
                return (null, $"Item {entry.ItemId} does not hash to {entry.ItemSha256}, the hash recorded when it was written: the stored evidence was altered (run 'aims verify --store').");
            }

            return (item, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Point in time: an analysis as of a past date uses only evidence observed by then. The latest index answers when
    /// nothing in it is newer than <paramref name="asOf"/> (the usual "as of now"); otherwise the store is asked for each
    /// subject's latest observation on or before that date, so a subject observed again since still counts as it was.
    /// </summary>
    private async Task<EvidenceIndex> KnownOnAsync(string kind, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var latest = await store.ReadIndexAsync(kind, cancellationToken).ConfigureAwait(false);
        if (latest.Entries.All(e => e.ObservedAt <= asOf))
        {
            return latest;
        }

        var known = new EvidenceIndex(kind);
        await foreach (var entry in store.ReadLatestAsync(kind, asOf, cancellationToken).ConfigureAwait(false))
        {
            known.Merge(entry);
        }

        return known;
    }

    private static bool InSystem(EvidenceItem item, string aiSystem) =>
        item.Subject.AiSystemIds.Contains(aiSystem, StringComparer.OrdinalIgnoreCase) || (item.IsCollectorError && item.Subject.Type == "source");

    /// <summary>
    /// A requirement's result from the subjects that count for it (in index order): sorted most urgent first, then
    /// the requirement's status and reason. Waivers and source configuration do not depend on the view.
    /// </summary>
    private RequirementResult Finish(Requirement requirement, List<SubjectResult> subjects, GapAnalysisOptions options)
    {
        var family = EvidenceKinds.SourceOf(requirement.Kind);
        // A family may have several sources (Jira, ServiceNow, GitHub Issues): any configured one counts.
        var states = options.Sources.Where(s => string.Equals(s.Family, family, StringComparison.OrdinalIgnoreCase)).ToList();
        var sourceState = states.FirstOrDefault(s => s.Configured) ?? states.FirstOrDefault();
        var configured = sourceState?.Configured ?? false;
        var waiver = requirements.ActiveWaiver(requirement.Id, options.AsOf);

        subjects.Sort((a, b) => b.Status.CompareTo(a.Status) is var c and not 0 ? c : string.CompareOrdinal(a.SubjectKey, b.SubjectKey));

        if (waiver is not null)
        {
            return new RequirementResult(requirement, GapStatus.NotApplicable,
                $"Waived until {waiver.Expires:yyyy-MM-dd}: {waiver.Reason}", subjects, waiver, configured);
        }

        if (subjects.Count == 0)
        {
            var why = configured
                ? $"No {requirement.Kind} evidence for {requirement.Scope}."
                : $"No {requirement.Kind} evidence: the {family} source is not configured{(states.Count == 0 ? "" : $" ({string.Join("; ", states.Select(s => $"{s.Name}: {s.Detail}"))})")}.";
            return new RequirementResult(requirement, GapStatus.Missing, why, subjects, null, configured);
        }

        var status = GapStatusNames.Worst(subjects.Select(s => s.Status));
        var worst = subjects.Where(s => s.Status == status).ToList();
        var reason = status == GapStatus.Ok
            ? $"{subjects.Count} subject(s) with fresh, passing evidence."
            : worst.Count == 1 ? worst[0].Reason : $"{worst.Count} of {subjects.Count} subjects {status.ToName()}: {worst[0].Reason}";
        return new RequirementResult(requirement, status, reason, subjects, null, configured);
    }

    private SubjectResult EvaluateSubject(Requirement requirement, EvidenceItem item, DateTimeOffset asOf, DateTimeOffset? nextAudit)
    {
        if (item.IsCollectorError)
        {
            var error = FactReader.GetString(item.Facts, "error") ?? "unknown error";
            return new SubjectResult(item.Subject.Key, item.Subject.DisplayName, item.Subject.AiSystemIds, GapStatus.CollectorError,
                $"Collection failed on {item.ObservedAt:yyyy-MM-dd}: {error}", item.Id, item.ObservedAt, null, null, []);
        }

        var freshUntil = requirement.Freshness.AddTo(item.FreshnessDate);
        var results = requirement.Checks.Select(spec => checks.Find(spec.Name)!.Evaluate(item, spec, asOf)).ToList();
        var failed = results.FirstOrDefault(r => r.Outcome == CheckOutcome.Fail);
        GapStatus status;
        string reason;
        if (failed is not null)
        {
            status = GapStatus.Failing;
            reason = failed.Reason;
        }
        else if (freshUntil < asOf)
        {
            status = GapStatus.Stale;
            reason = $"{item.Subject.DisplayName}: evidence from {item.FreshnessDate:yyyy-MM-dd} went stale on {freshUntil:yyyy-MM-dd} (freshness {requirement.Freshness}).";
        }
        else if (nextAudit is { } audit && freshUntil < audit)
        {
            status = GapStatus.Expiring;
            reason = $"{item.Subject.DisplayName}: fresh until {freshUntil:yyyy-MM-dd}, before the audit on {audit:yyyy-MM-dd}.";
        }
        else
        {
            status = GapStatus.Ok;
            reason = $"{item.Subject.DisplayName}: fresh until {freshUntil:yyyy-MM-dd}.";
        }

        return new SubjectResult(item.Subject.Key, item.Subject.DisplayName, item.Subject.AiSystemIds, status, reason, item.Id, item.ObservedAt, item.EvidenceDate, freshUntil, results);
    }
}

/// <summary>What one index entry means for one requirement, and whether it counts for every AI system's view.</summary>
internal sealed record Scored(SubjectResult Result, bool EverySystem);

/// <summary>One kind's pass: the requirements that use it and, per index entry, what each of them made of it.</summary>
internal sealed class KindPass(string kind, IReadOnlyList<Requirement> requirements, IReadOnlyList<int> positions, bool collectsProblems, AiInventory? inventory)
{
    public string Kind { get; } = kind;

    /// <summary>Every requirement of the analysis.</summary>
    public IReadOnlyList<Requirement> Requirements { get; } = requirements;

    /// <summary>The positions in <see cref="Requirements"/> of those that use this kind.</summary>
    public IReadOnlyList<int> Positions { get; } = positions;

    public bool CollectsProblems { get; } = collectsProblems;

    /// <summary>Set when the unregistered-AI detector looks at this kind.</summary>
    public AiInventory? Inventory { get; } = inventory;

    /// <summary>Per requirement, per index entry (slots, so parallel reads land in index order).</summary>
    public Scored?[][] Scores { get; private set; } = [];

    public CollectorProblem?[] Problems { get; private set; } = [];

    public UnregisteredAiFinding[]?[] Unregistered { get; private set; } = [];

    public void Start(int entries)
    {
        Scores = Positions.Select(_ => new Scored?[entries]).ToArray();
        Problems = CollectsProblems ? new CollectorProblem?[entries] : [];
        Unregistered = Inventory is null ? [] : new UnregisteredAiFinding[]?[entries];
    }
}

/// <summary>
/// Per requirement, the subjects that count for it (in index order), and the same split per AI system of interest as
/// they arrive: each result is filed under the systems it is attributed to (altered, missing and source-wide results
/// under every one), so a system's view costs its own subjects, not a re-scan of the whole index per system.
/// </summary>
internal sealed class Tally(int requirements, IEnumerable<string> systems)
{
    private readonly List<SubjectResult>[] _all = Enumerable.Range(0, requirements).Select(_ => new List<SubjectResult>()).ToArray();
    private readonly Dictionary<string, List<SubjectResult>>[] _bySystem = Enumerable.Range(0, requirements).Select(_ =>
        systems.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(s => s, _ => new List<SubjectResult>(), StringComparer.OrdinalIgnoreCase)).ToArray();

    public void Add(KindPass pass)
    {
        for (var r = 0; r < pass.Positions.Count; r++)
        {
            var all = _all[pass.Positions[r]];
            var bySystem = _bySystem[pass.Positions[r]];
            foreach (var scored in pass.Scores[r])
            {
                if (scored is null)
                {
                    continue;
                }

                all.Add(scored.Result);
                if (bySystem.Count == 0)
                {
                    continue;
                }

                if (scored.EverySystem)
                {
                    foreach (var list in bySystem.Values)
                    {
                        list.Add(scored.Result);
                    }

                    continue;
                }

                foreach (var system in scored.Result.AiSystems.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    bySystem.GetValueOrDefault(system)?.Add(scored.Result);
                }
            }
        }
    }

    /// <summary>A fresh list (the caller sorts it) of every subject that counts for the requirement at this position.</summary>
    public List<SubjectResult> All(int position) => [.. _all[position]];

    /// <summary>A fresh list of the subjects that count for the requirement at this position in one AI system's view.</summary>
    public List<SubjectResult> For(int position, string system) => [.. _bySystem[position][system]];
}
