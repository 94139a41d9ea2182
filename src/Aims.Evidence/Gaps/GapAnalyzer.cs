using System.Collections.Concurrent;
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
/// latest item per subject: the cost grows with the number of subjects, never with the history.
/// </summary>
public sealed class GapAnalyzer(IEvidenceStore store, RequirementSet requirements, CheckRegistry checks, ControlCatalog? catalog = null)
{
    private readonly ControlCatalog _catalog = catalog ?? ControlCatalog.Default;

    public async Task<GapReport> AnalyzeAsync(GapAnalysisOptions options, CancellationToken cancellationToken = default)
    {
        var indexes = new Dictionary<string, EvidenceIndex>(StringComparer.Ordinal);
        var items = new ConcurrentDictionary<string, EvidenceItem?>(StringComparer.Ordinal);
        var tampered = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var nextAudit = options.Calendar.NextAudit(options.AsOf);

        async Task<EvidenceIndex> IndexFor(string kind)
        {
            if (!indexes.TryGetValue(kind, out var index))
            {
                index = await KnownOnAsync(kind, options.AsOf, cancellationToken).ConfigureAwait(false);
                indexes[kind] = index;
            }

            return index;
        }

        var results = new List<RequirementResult>();
        foreach (var requirement in requirements.Requirements)
        {
            var index = await IndexFor(requirement.Kind).ConfigureAwait(false);
            await LoadItemsAsync(index, items, tampered, cancellationToken).ConfigureAwait(false);
            var result = Evaluate(requirement, index, items, tampered, options, nextAudit);
            if (options.AiSystem is { } only && IsOrganizationWide(requirement, result, only, options.Inventory))
            {
                // An AI policy is not missing for one system: it is the organization's, whatever its status.
                var organization = Evaluate(requirement, index, items, tampered, options with { AiSystem = null }, nextAudit);
                result = organization with { OrganizationWide = true, Reason = $"Organization-wide, not specific to AI system '{only}': {organization.Reason}" };
            }

            results.Add(result);
        }

        var problems = new List<CollectorProblem>();
        await foreach (var kind in store.ListIndexedKindsAsync(cancellationToken).ConfigureAwait(false))
        {
            var index = await IndexFor(kind).ConfigureAwait(false);
            foreach (var entry in index.Entries.Where(e => e.IsError))
            {
                if (!items.TryGetValue(entry.ItemId, out var item))
                {
                    await LoadItemAsync(entry, items, tampered, cancellationToken).ConfigureAwait(false);
                    item = items.GetValueOrDefault(entry.ItemId);
                }

                if (options.AiSystem is not null && item is not null && !InSystem(item, options.AiSystem))
                {
                    continue;
                }

                problems.Add(new CollectorProblem(kind, entry.SubjectKey, entry.ItemId, entry.ObservedAt,
                    FactReader.GetString(item?.Facts ?? [], "error") ?? "unknown error", FactReader.GetString(item?.Facts ?? [], "source") ?? EvidenceKinds.SourceOf(kind)));
            }
        }

        var systems = new List<AiSystemResult>();
        var unregistered = new List<UnregisteredAiFinding>();
        if (options.Inventory is { } inventory)
        {
            foreach (var system in inventory.Systems.Where(s => options.AiSystem is null || string.Equals(s.Id, options.AiSystem, StringComparison.OrdinalIgnoreCase)))
            {
                systems.Add(await EvaluateSystemAsync(system, inventory, IndexFor, items, tampered, options, nextAudit, cancellationToken).ConfigureAwait(false));
            }

            foreach (var kind in UnregisteredAiDetector.Kinds)
            {
                var index = await IndexFor(kind).ConfigureAwait(false);
                await LoadItemsAsync(index, items, tampered, cancellationToken).ConfigureAwait(false);
                unregistered.AddRange(UnregisteredAiDetector.Find(inventory, index.Entries.Where(e => !e.IsError).Select(e => items.GetValueOrDefault(e.ItemId)).OfType<EvidenceItem>()));
            }
        }

        var controls = _catalog.Controls.Select(c => ControlStatus(c, results, systems)).ToList();
        return new GapReport(options.Organization, options.AsOf, nextAudit, options.AiSystem, controls, results,
            problems.OrderByDescending(p => p.ObservedAt).ThenBy(p => p.SubjectKey, StringComparer.Ordinal).ToList(), options.Sources)
        {
            AiSystems = systems,
            UnregisteredAi = unregistered.OrderBy(u => u.Kind, StringComparer.Ordinal).ThenBy(u => u.SubjectKey, StringComparer.Ordinal).ToList(),
        };
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
    private async Task<AiSystemResult> EvaluateSystemAsync(AiSystem system, AiInventory inventory, Func<string, Task<EvidenceIndex>> indexFor,
        ConcurrentDictionary<string, EvidenceItem?> items, ConcurrentDictionary<string, string> tampered, GapAnalysisOptions options, DateTimeOffset? nextAudit, CancellationToken cancellationToken)
    {
        var scoped = options with { AiSystem = system.Id };
        var records = new List<RequirementResult>();
        var others = new List<RequirementResult>();
        foreach (var requirement in requirements.Requirements)
        {
            var index = await indexFor(requirement.Kind).ConfigureAwait(false);
            await LoadItemsAsync(index, items, tampered, cancellationToken).ConfigureAwait(false);
            var result = Evaluate(requirement, index, items, tampered, scoped, nextAudit);
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

    private async Task LoadItemsAsync(EvidenceIndex index, ConcurrentDictionary<string, EvidenceItem?> items, ConcurrentDictionary<string, string> tampered, CancellationToken cancellationToken)
    {
        var missing = index.Entries.Where(e => !items.ContainsKey(e.ItemId)).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (entry, ct) =>
            await LoadItemAsync(entry, items, tampered, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the item the index points at and checks it as it is read: it must parse, hash to its own recorded hash,
    /// and be the item the index (and so the ledger) recorded. Anything else is a tamper finding, never evidence.
    /// </summary>
    private async Task LoadItemAsync(IndexEntry entry, ConcurrentDictionary<string, EvidenceItem?> items, ConcurrentDictionary<string, string> tampered, CancellationToken cancellationToken)
    {
        EvidenceItem? item;
        try
        {
            item = await store.GetItemAsync(entry.ItemId, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            tampered[entry.ItemId] = $"Item {entry.ItemId} is unreadable ({ex.Message}): the stored evidence was altered (run 'aims verify --store').";
            items[entry.ItemId] = null;
            return;
        }

        if (item is not null && (item.Id != entry.ItemId || item.Sha256 != entry.ItemSha256 || EvidenceItemJson.ComputeHash(item) != entry.ItemSha256))
        {
            tampered[entry.ItemId] = $"Item {entry.ItemId} does not hash to {entry.ItemSha256}, the hash recorded when it was written: the stored evidence was altered (run 'aims verify --store').";
            items[entry.ItemId] = null;
            return;
        }

        items[entry.ItemId] = item;
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

    private RequirementResult Evaluate(Requirement requirement, EvidenceIndex index, IReadOnlyDictionary<string, EvidenceItem?> items, IReadOnlyDictionary<string, string> tampered, GapAnalysisOptions options, DateTimeOffset? nextAudit)
    {
        var family = EvidenceKinds.SourceOf(requirement.Kind);
        // A family may have several sources (Jira, ServiceNow, GitHub Issues): any configured one counts.
        var states = options.Sources.Where(s => string.Equals(s.Family, family, StringComparison.OrdinalIgnoreCase)).ToList();
        var sourceState = states.FirstOrDefault(s => s.Configured) ?? states.FirstOrDefault();
        var configured = sourceState?.Configured ?? false;
        var waiver = requirements.ActiveWaiver(requirement.Id, options.AsOf);

        // A failure of the whole source is superseded by any later successful observation of the kind.
        var latestGood = index.Entries.Where(e => !e.IsError).Select(e => e.ObservedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var subjects = new List<SubjectResult>();
        foreach (var entry in index.Entries)
        {
            if (entry.IsError && entry.SubjectKey.StartsWith("source/", StringComparison.Ordinal) && entry.ObservedAt < latestGood)
            {
                continue;
            }

            if (tampered.TryGetValue(entry.ItemId, out var alteration))
            {
                subjects.Add(new SubjectResult(entry.SubjectKey, entry.SubjectKey, [], GapStatus.Failing, alteration, entry.ItemId, entry.ObservedAt, null, null, []));
                continue;
            }

            if (!items.TryGetValue(entry.ItemId, out var item) || item is null)
            {
                subjects.Add(new SubjectResult(entry.SubjectKey, entry.SubjectKey, [], GapStatus.CollectorError,
                    $"The index points to item {entry.ItemId}, which is not in the store (run 'aims verify --store').", entry.ItemId, entry.ObservedAt, null, null, []));
                continue;
            }

            if (!requirement.Scope.Matches(item) || (options.AiSystem is not null && !InSystem(item, options.AiSystem)))
            {
                continue;
            }

            subjects.Add(EvaluateSubject(requirement, item, options.AsOf, nextAudit));
        }

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
