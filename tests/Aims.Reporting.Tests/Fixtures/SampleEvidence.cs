using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Checks;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Reporting.Tests.Fixtures;

/// <summary>
/// A real folder store with evidence written the way collectors write it (through <see cref="EvidenceRecorder"/>):
/// documents from a documents folder, GitHub branch protection with raw API payloads, a collector failure.
/// </summary>
public sealed class SampleEvidence : IDisposable
{
    public const string Organization = "Contoso Ltd";
    public const string ScriptTitle = "<script>alert('pwned')</script> Fraud | model impact assessment";

    public static readonly DateTimeOffset AsOf = new(2026, 6, 15, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NextAudit = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private int _jobs;

    private SampleEvidence(string? prefix)
    {
        Folder = new TempDirectory(prefix ?? "aims-reporting");
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Store = new FolderEvidenceStore(Folder.Combine("store"), Time);
    }

    public TempDirectory Folder { get; }

    public FakeTimeProvider Time { get; }

    public FolderEvidenceStore Store { get; }

    public RequirementSet Requirements { get; } = RequirementSet.LoadDefaults();

    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>The shared raw payload both branch-protection observations carry (identical API answers).</summary>
    public static byte[] ProtectionPayload { get; } = Encoding.UTF8.GetBytes("""{"required_pull_request_reviews":{"required_approving_review_count":2,"dismiss_stale_reviews":true},"enforce_admins":{"enabled":true}}""");

    public static readonly IReadOnlyList<SourceState> Sources =
    [
        new("documents", "Documents", true, "folder ./governance"),
        new("github", "GitHub", true, "https://api.github.com, org contoso"),
        new("entra", "Entra", false, "Aims:Sources:Entra is not set"),
    ];

    /// <summary>An empty store.</summary>
    public static SampleEvidence Empty(string? prefix = null) => new(prefix);

    /// <summary>
    /// The standard sample: five observations from January to June 2026.
    /// <list type="bullet">
    /// <item>2026-01-15 AI policy (A.2.2), approved: ok.</item>
    /// <item>2026-02-10 impact assessment of fraud-model (A.5.3-A.5.5), no approver, title with markup: failing.</item>
    /// <item>2026-03-05 branch protection of contoso/fraud-model (A.6.1.3), 2 reviews, raw payload: stale by June.</item>
    /// <item>2026-04-20 pull requests of contoso/chatbot could not be collected: collector-error.</item>
    /// <item>2026-06-01 branch protection of contoso/chatbot, 0 reviews, same raw payload: failing.</item>
    /// </list>
    /// </summary>
    public static async Task<SampleEvidence> CreateAsync(string? prefix = null)
    {
        var sample = new SampleEvidence(prefix);
        await sample.RecordDocumentAsync("policy", At(2026, 1, 15), "AI Policy", "ai-policy", ["A.2.2"], [], approvedBy: "Chief Risk Officer", approvedOn: "2026-01-10", reviewDue: "2027-01-10");
        await sample.RecordDocumentAsync("impact", At(2026, 2, 10), ScriptTitle, "impact-assessment", ["A.5.3", "A.5.4", "A.5.5"], ["fraud-model"], approvedBy: null, approvedOn: null, reviewDue: "2027-02-01");
        await sample.RecordProtectionAsync("fraud-protection", At(2026, 3, 5), "contoso/fraud-model", "fraud-model", 2);
        await sample.RecordErrorAsync("chatbot-prs", At(2026, 4, 20), "contoso/chatbot", "chatbot", EvidenceKinds.GitHubPullRequests, "GitHub answered 403 Forbidden for /repos/contoso/chatbot/pulls");
        await sample.RecordProtectionAsync("chatbot-protection", At(2026, 6, 1), "contoso/chatbot", "chatbot", 0);
        return sample;
    }

    public static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.Zero);

    public async Task<string> RecordDocumentAsync(string name, DateTimeOffset observedAt, string title, string documentType, string[] controls, string[] aiSystems,
        string? approvedBy, string? approvedOn, string? reviewDue)
    {
        var facts = new JsonObject { ["documentType"] = documentType, ["title"] = title, ["path"] = $"governance/{name}.md" };
        if (approvedBy is not null)
        {
            facts["approvedBy"] = approvedBy;
        }

        if (approvedOn is not null)
        {
            facts["approvedOn"] = approvedOn;
        }

        if (reviewDue is not null)
        {
            facts["reviewDue"] = reviewDue;
        }

        var draft = new EvidenceDraft
        {
            Kind = EvidenceKinds.Document,
            Subject = new Subject("document", $"governance/{name}.md", title, aiSystems),
            Locator = $"governance/{name}.md",
            Summary = $"{title}: {(approvedBy is null ? "no approval recorded" : $"approved by {approvedBy} on {approvedOn}")}",
            Facts = facts,
            Controls = controls,
            EvidenceDate = approvedOn is null ? null : DateTimeOffset.Parse(approvedOn + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        };
        return await RecordAsync(name, observedAt, "Documents", new CollectorIdentity("documents", "./governance", "documents", "0.1.0"), draft);
    }

    public async Task<string> RecordProtectionAsync(string name, DateTimeOffset observedAt, string repository, string aiSystem, int reviews, byte[]? payload = null)
    {
        Time.SetUtcNow(observedAt);
        var job = NextJob("GitHub");
        var recorder = new EvidenceRecorder(Store, job, new CollectorIdentity("github", "https://api.github.com", "github", "0.1.0"), Requirements, Time);
        var raw = await recorder.PutRawAsync(payload ?? ProtectionPayload, "application/json");
        var draft = new EvidenceDraft
        {
            Kind = EvidenceKinds.GitHubBranchProtection,
            Subject = new Subject("repository", repository, repository, [aiSystem]),
            Locator = $"/repos/{repository}/branches/main/protection",
            Summary = $"Default branch main requires {reviews} approving review(s).",
            Facts = new JsonObject { ["branch"] = "main", ["requiredApprovingReviewCount"] = reviews, ["enforceAdmins"] = true },
            Controls = ["A.6.1.3"],
            Raw = raw,
            RawMediaType = "application/json",
        };
        await recorder.EmitAsync(draft);
        return Remember(name, job, draft.Subject, draft.Kind);
    }

    public async Task<string> RecordErrorAsync(string name, DateTimeOffset observedAt, string repository, string aiSystem, string attemptedKind, string error)
    {
        Time.SetUtcNow(observedAt);
        var job = NextJob("GitHub");
        var recorder = new EvidenceRecorder(Store, job, new CollectorIdentity("github", "https://api.github.com", "github", "0.1.0"), Requirements, Time);
        var subject = new Subject("repository", repository, repository, [aiSystem]);
        await recorder.ReportErrorAsync(subject, attemptedKind, $"/repos/{repository}/pulls", error);
        return Remember(name, job, subject, $"{EvidenceKinds.CollectorError}:{attemptedKind}");
    }

    /// <summary>A population observed at <paramref name="observedAt"/> covering <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<string> RecordPopulationAsync(string name, DateTimeOffset observedAt, DateTimeOffset from, DateTimeOffset to, string repository, string aiSystem)
    {
        var draft = new EvidenceDraft
        {
            Kind = EvidenceKinds.GitHubPullRequests,
            Subject = new Subject("repository", repository, repository, [aiSystem]),
            Locator = $"/repos/{repository}/pulls?state=closed",
            Summary = "12 pull requests merged, all approved by someone other than their author.",
            Facts = new JsonObject { ["merged"] = 12, ["mergedWithoutIndependentApproval"] = 0 },
            Controls = ["A.6.1.3", "A.6.2.5"],
            Period = new EvidencePeriod(from, to),
        };
        return await RecordAsync(name, observedAt, "GitHub", new CollectorIdentity("github", "https://api.github.com", "github", "0.1.0"), draft);
    }

    public Task<GapReport> AnalyzeAsync(string? aiSystem = null) =>
        new GapAnalyzer(Store, Requirements, CheckRegistry.Default)
            .AnalyzeAsync(new GapAnalysisOptions(Organization, AsOf, new AuditCalendar([NextAudit]), Sources, aiSystem));

    /// <summary>The stored path of an item, relative to the store root.</summary>
    public string ItemFile(string name) => Path.Combine(Store.Root, "items", Ids[name][..2], Ids[name] + ".json");

    public string LedgerFile => Path.Combine(Store.Root, "ledger", "local.jsonl");

    public void Dispose() => Folder.Dispose();

    private async Task<string> RecordAsync(string name, DateTimeOffset observedAt, string source, CollectorIdentity identity, EvidenceDraft draft)
    {
        Time.SetUtcNow(observedAt);
        var job = NextJob(source);
        var recorder = new EvidenceRecorder(Store, job, identity, Requirements, Time);
        await recorder.EmitAsync(draft);
        return Remember(name, job, draft.Subject, draft.Kind);
    }

    private CollectionJob NextJob(string source)
    {
        var n = Interlocked.Increment(ref _jobs);
        return new CollectionJob($"run-{n:D3}", $"{source.ToLowerInvariant()}:{n:D4}", source,
            new EvidencePeriod(new DateTimeOffset(2025, 9, 1, 0, 0, 0, TimeSpan.Zero), Time.GetUtcNow()), new Dictionary<string, string>());
    }

    private string Remember(string name, CollectionJob job, Subject subject, string idKind)
    {
        var id = ItemIds.For(job.RunId, job.JobId, subject, idKind);
        Ids[name] = id;
        return id;
    }
}
