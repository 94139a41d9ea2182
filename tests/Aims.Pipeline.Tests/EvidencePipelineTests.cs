using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Pipeline.Tests;

public sealed class EvidencePipelineTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private EvidencePipeline Create(string? configFile = null, FolderEvidenceStore? store = null)
    {
        configFile ??= RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var (configuration, baseDirectory) = AimsConfiguration.Load(configFile);
        var settings = AimsSettings.Read(configuration, baseDirectory);
        return new EvidencePipeline(configuration, settings, store ?? new FolderEvidenceStore(_dir.Combine("store")), SourceRegistry.CreateDefault(),
            new SourceContext(new FixedClock(AsOf), NullLoggerFactory.Instance, baseDirectory));
    }

    [Fact]
    public async Task The_sample_shows_every_status_at_control_level()
    {
        var pipeline = Create();
        await pipeline.CollectAsync(AsOf);

        var report = await pipeline.AnalyzeAsync(AsOf);

        var statuses = report.Controls.Select(c => c.Status).ToHashSet();
        Assert.Equal(Enum.GetValues<GapStatus>().ToHashSet(), statuses);
        Assert.Equal(41, report.Controls.Count);
    }

    [Fact]
    public async Task Unconfigured_sources_are_reported_not_skipped()
    {
        var pipeline = Create();
        await pipeline.CollectAsync(AsOf);

        var report = await pipeline.AnalyzeAsync(AsOf);

        Assert.Contains(report.Sources, s => s.Family == "documents" && s.Configured);
        var branchProtection = report.Requirements.Single(r => r.Requirement.Id == "branch-protection");
        Assert.Equal(GapStatus.Missing, branchProtection.Status);
        Assert.False(branchProtection.SourceConfigured);
        Assert.Contains("not configured", branchProtection.Reason);
    }

    [Fact]
    public async Task Items_record_the_instance_read_the_collector_s_name_and_the_product_version()
    {
        var store = new FolderEvidenceStore(_dir.Combine("store"));
        await Create(store: store).CollectAsync(AsOf);

        var items = new List<Evidence.Items.EvidenceItem>();
        await foreach (var id in store.ListItemIdsAsync())
        {
            items.Add((await store.GetItemAsync(id))!);
        }

        var document = items.First(i => i.Kind == EvidenceKinds.Document);
        Assert.Equal("documents", document.Source.Instance);
        Assert.Equal("documents", document.Source.Collector);
        Assert.Equal(ProductVersion.Current, document.Source.CollectorVersion);
        Assert.Equal(typeof(EvidencePipeline).Assembly.GetName().Version!.ToString(3), ProductVersion.Current);
        var inventory = items.First(i => i.Kind == "inventory.ai-systems");
        Assert.Equal("inventory.yaml", inventory.Source.Instance);
        Assert.DoesNotContain(items, i => i.Source.Collector.EndsWith("Collector", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Re_running_the_same_run_stores_nothing_twice()
    {
        var store = new FolderEvidenceStore(_dir.Combine("store"));
        var pipeline = Create(store: store);

        var first = await pipeline.CollectAsync(AsOf);
        var second = await pipeline.CollectAsync(AsOf);

        Assert.True(first.Created > 0);
        Assert.Equal(0, second.Created);
        Assert.Equal(first.Created, second.AlreadyStored);
        var ledger = await store.ReadLedgerAsync().ToListAsync();
        Assert.Equal(first.Created, ledger.Count);
        Assert.Equal(ledger.Count, ledger.Select(e => e.ItemId).Distinct().Count());
    }

    [Fact]
    public async Task Per_system_results_show_an_overdue_impact_assessment()
    {
        var pipeline = Create();
        await pipeline.CollectAsync(AsOf);

        var report = await pipeline.AnalyzeAsync(AsOf);

        var assistant = report.AiSystems.Single(s => s.System.Id == "support-assistant");
        var assessment = assistant.RequiredRecords.Single(r => r.Requirement.Id == "impact-assessments");
        Assert.Equal(GapStatus.Failing, assessment.Status);
        Assert.Contains("was due 2026-08-01", assessment.Reason);
        var fraud = report.AiSystems.Single(s => s.System.Id == "fraud-scoring");
        Assert.Equal(GapStatus.Ok, fraud.RequiredRecords.Single(r => r.Requirement.Id == "impact-assessments").Status);
        var retired = report.AiSystems.Single(s => s.System.Id == "churn-model");
        Assert.Empty(retired.RequiredRecords);
        var triage = report.AiSystems.Single(s => s.System.Id == "document-triage");
        Assert.Equal(GapStatus.Missing, triage.RequiredRecords.Single(r => r.Requirement.Id == "impact-assessments").Status);
    }

    [Fact]
    public async Task A_job_for_a_source_that_is_not_configured_is_recorded_as_a_collector_error()
    {
        var store = new FolderEvidenceStore(_dir.Combine("store"));
        var pipeline = Create(store: store);
        var job = new CollectionJob("run-x", "github:0001", "GitHub", new(AsOf.AddYears(-1), AsOf), new Dictionary<string, string>());

        var outcome = await pipeline.RunJobAsync(job);

        Assert.Equal("source not configured", outcome.Failure);
        var id = Assert.Single(await store.ListItemIdsAsync().ToListAsync());
        var item = await store.GetItemAsync(id);
        Assert.True(item!.IsCollectorError);
        Assert.Contains("Aims:Sources:GitHub", item.Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public void An_unknown_source_section_is_named()
    {
        var config = _dir.Combine("aims.json");
        File.WriteAllText(config, """{ "Aims": { "Sources": { "Confluence": { "BaseUrl": "https://wiki" } } } }""");

        var error = Assert.Throws<InvalidSettingException>(() => Create(config));

        Assert.Equal("Aims:Sources:Confluence", error.Setting);
    }

    [Fact]
    public void Run_ids_come_from_the_tick_time()
    {
        Assert.Equal("run-20261201T020000Z", EvidencePipeline.RunIdFor(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.FromHours(1))));
    }

    internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class UnregisteredAiTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_repository_with_an_ai_topic_outside_the_inventory_is_a_finding_in_every_digest_format()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var (configuration, baseDirectory) = AimsConfiguration.Load(config);
        // Observed on the analysis date: an analysis counts only what was observed by then.
        var clock = new EvidencePipelineTests.FixedClock(AsOf);
        var store = new FolderEvidenceStore(_dir.Combine("store"), clock);
        var pipeline = new EvidencePipeline(configuration, AimsSettings.Read(configuration, baseDirectory), store, SourceRegistry.CreateDefault(),
            new SourceContext(clock, NullLoggerFactory.Instance, baseDirectory));
        var job = new CollectionJob("run-1", "github:0001", "GitHub", new(AsOf.AddYears(-1), AsOf), new Dictionary<string, string>());
        var recorder = new EvidenceRecorder(store, job, new CollectorIdentity("github", "https://api.github.com", "github", "test"), pipeline.Requirements, clock, pipeline.Attribution);
        foreach (var (repo, topic) in new[] { ("contoso/shadow-<b>gpt</b>", "llm"), ("contoso/fraud-scoring", "ml"), ("contoso/website", "web") })
        {
            await recorder.EmitAsync(new EvidenceDraft
            {
                Kind = "github.repository",
                Subject = new Evidence.Items.Subject("repository", repo, repo),
                Locator = $"/repos/{repo}",
                Summary = repo,
                Facts = new System.Text.Json.Nodes.JsonObject { ["topics"] = new System.Text.Json.Nodes.JsonArray(topic) },
            });
        }

        var report = await pipeline.AnalyzeAsync(AsOf);

        var finding = Assert.Single(report.UnregisteredAi);
        Assert.Equal("repository/contoso/shadow-<b>gpt</b>", finding.SubjectKey);
        Assert.Contains("'llm'", finding.Reason);
        using var json = new MemoryStream();
        await Reporting.Digest.DigestWriter.WriteAsync(report, Reporting.Digest.DigestFormat.Json, json);
        using var doc = System.Text.Json.JsonDocument.Parse(json.ToArray());
        Assert.Equal("contoso/shadow-<b>gpt</b>", doc.RootElement.GetProperty("unregisteredAi")[0].GetProperty("name").GetString());
        using var html = new MemoryStream();
        await Reporting.Digest.DigestWriter.WriteAsync(report, Reporting.Digest.DigestFormat.Html, html);
        var page = System.Text.Encoding.UTF8.GetString(html.ToArray());
        Assert.Contains("Unregistered AI", page);
        Assert.DoesNotContain("<b>gpt</b>", page);
        Assert.Contains("Fraud scoring (fraud-scoring): high risk, deployed", page);
    }
}
