using System.Text;
using Aims.Collectors.Documents;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.Documents;

public sealed class DocumentsCollectorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly string _docs;
    private readonly FolderEvidenceStore _store;

    public DocumentsCollectorTests()
    {
        _docs = _dir.Combine("documents");
        Directory.CreateDirectory(_docs);
        _store = new FolderEvidenceStore(_dir.Combine("store"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Markdown_front_matter_becomes_a_document_item_with_its_file_as_raw_payload()
    {
        Write("policies/ai-policy.md", """
            ---
            type: ai-policy
            title: "Contoso AI Policy"
            owner: AI Governance Lead
            approved-by: Dana Whitfield
            approved-on: 2026-03-10
            review-due: 2027-03-10
            controls: [A.2.2, a.2.3]
            ai-systems: [fraud-scoring]
            ---
            # Policy
            """);

        var items = await CollectAsync();

        var item = Assert.Single(items);
        Assert.Equal(EvidenceKinds.Document, item.Kind);
        Assert.Equal("document/policies/ai-policy.md", item.Subject.Key);
        Assert.Equal("Contoso AI Policy", item.Subject.DisplayName);
        Assert.Equal(["fraud-scoring"], item.Subject.AiSystemIds);
        Assert.Equal(["A.2.2", "A.2.3"], item.Controls);
        Assert.Equal("ai-policy", item.Facts["documentType"]!.GetValue<string>());
        Assert.Equal("2026-03-10", item.Facts["approvedOn"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), item.EvidenceDate);
        await using var raw = await _store.OpenRawAsync(item.RawSha256!);
        Assert.NotNull(raw);
        Assert.Contains("# Policy", await new StreamReader(raw).ReadToEndAsync());
    }

    [Fact]
    public async Task A_binary_file_is_described_by_its_sidecar()
    {
        var pdf = new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0xff, 0x00 };
        Directory.CreateDirectory(Path.Combine(_docs, "procedures"));
        File.WriteAllBytes(Path.Combine(_docs, "procedures/supplier.pdf"), pdf);
        Write("procedures/supplier.pdf.aims.yaml", "type: supplier-management\ntitle: Supplier procedure\napproved-by: Procurement\napproved-on: 2026-04-05\n");

        var item = Assert.Single(await CollectAsync());

        Assert.Equal("procedures/supplier.pdf", item.Subject.Id);
        Assert.Equal("application/pdf", item.RawMediaType);
        Assert.Equal(CanonicalJson.Sha256Hex(pdf), item.RawSha256);
    }

    [Fact]
    public async Task Malformed_front_matter_is_reported_for_that_file_and_the_rest_are_collected()
    {
        Write("a-good.md", "---\ntype: ai-policy\napproved-on: 2026-01-01\n---\n");
        Write("b-bad-date.md", "---\ntype: internal-audit\napproved-on: 2026-13-40\n---\n");
        Write("c-bad-yaml.md", "---\ntype: management-review\ntitle: [unclosed\n---\n");
        Write("d-unclosed.md", "---\ntype: ai-policy\n");
        Write("e-unknown-control.md", "---\ntype: ai-policy\ncontrols: [A.99]\n---\n");
        Write("f-good.md", "---\ntype: management-review\n---\n");

        var items = await CollectAsync();

        Assert.Equal(["a-good.md", "f-good.md"], items.Where(i => !i.IsCollectorError).Select(i => i.Subject.Id).Order());
        var errors = items.Where(i => i.IsCollectorError).ToDictionary(i => i.Subject.Id);
        Assert.Equal(4, errors.Count);
        Assert.Contains("'approved-on' is '2026-13-40', not a date", errors["b-bad-date.md"].Facts["error"]!.GetValue<string>());
        Assert.Equal("internal-audit", errors["b-bad-date.md"].Facts["documentType"]!.GetValue<string>());
        Assert.Contains("not valid YAML", errors["c-bad-yaml.md"].Facts["error"]!.GetValue<string>());
        Assert.Contains("not closed", errors["d-unclosed.md"].Facts["error"]!.GetValue<string>());
        Assert.Contains("'A.99'", errors["e-unknown-control.md"].Facts["error"]!.GetValue<string>());
        Assert.All(errors.Values, e => Assert.Equal(EvidenceKinds.Document, e.IndexKind));
    }

    [Fact]
    public async Task Markdown_without_front_matter_and_hidden_files_are_not_documents()
    {
        Write("README.md", "# Notes\n");
        Write(".draft.md", "---\ntype: ai-policy\n---\n");

        Assert.Empty(await CollectAsync());
    }

    [Fact]
    public async Task A_sidecar_whose_file_is_missing_is_reported()
    {
        Write("gone.pdf.aims.yaml", "type: supplier-management\n");

        var error = Assert.Single(await CollectAsync());

        Assert.True(error.IsCollectorError);
        Assert.Equal("gone.pdf", error.Subject.Id);
        Assert.Contains("does not exist", error.Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_naming_a_path_outside_the_folder_is_refused_without_reading_it()
    {
        File.WriteAllText(_dir.Combine("secret.md"), "---\ntype: ai-policy\n---\n");
        var collector = Create();
        var job = new CollectionJob("run", "documents:0001", "Documents", new EvidencePeriod(Now.AddYears(-1), Now),
            new Dictionary<string, string> { ["files"] = "../secret.md\n/etc/passwd" });

        await collector.CollectAsync(job, Recorder(job));

        var items = await ReadAllAsync();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.True(i.IsCollectorError));
        Assert.All(items, i => Assert.Contains("not a relative path inside the documents folder", i.Facts["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Secrets_in_a_document_are_redacted_from_the_stored_copy()
    {
        Write("runbook.md", "---\ntype: ai-policy\n---\nConnect with token ghp_0123456789abcdefghijABCDEFGHIJ0123456789\n");

        var item = Assert.Single(await CollectAsync());

        await using var raw = await _store.OpenRawAsync(item.RawSha256!);
        var text = await new StreamReader(raw!).ReadToEndAsync();
        Assert.DoesNotContain("ghp_0123456789", text);
        Assert.Contains("[REDACTED]", text);
    }

    [Fact]
    public async Task A_missing_folder_becomes_a_source_level_collector_error()
    {
        Directory.Delete(_docs);

        var error = Assert.Single(await CollectAsync());

        Assert.Equal("source/documents", error.Subject.Key);
        Assert.Contains("does not exist", error.Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Running_the_same_job_twice_stores_each_item_once()
    {
        Write("ai-policy.md", "---\ntype: ai-policy\n---\n");

        await CollectAsync();
        await CollectAsync();

        Assert.Single(await ReadAllAsync());
        Assert.Single(await _store.ReadLedgerAsync().ToListAsync());
    }

    [Fact]
    public void The_source_requires_a_path_setting_and_names_it()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Aims:Sources:Documents:Other"] = "x" }).Build();
        var section = config.GetSection("Aims:Sources:Documents");
        var source = new DocumentsSource();

        Assert.False(source.Describe(section).Configured);
        var error = Assert.Throws<InvalidSettingException>(() => source.Create(section, Context()));
        Assert.Equal("Aims:Sources:Documents:Path", error.Setting);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.Replace("\r\n", "\n"), Encoding.UTF8);
    }

    private SourceContext Context() => new(new FixedClock(Now), NullLoggerFactory.Instance, _dir.Path);

    private IEvidenceCollector Create()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Aims:Sources:Documents:Path"] = "documents" }).Build();
        return new DocumentsSource().Create(config.GetSection("Aims:Sources:Documents"), Context());
    }

    private EvidenceRecorder Recorder(CollectionJob job) =>
        new(_store, job, new CollectorIdentity("documents", "documents", "DocumentsCollector", "test"), RequirementSet.LoadDefaults(), new FixedClock(Now));

    private async Task<List<EvidenceItem>> CollectAsync()
    {
        var collector = Create();
        await foreach (var job in collector.PlanAsync(new CollectionPlan("run-1", new EvidencePeriod(Now.AddYears(-1), Now))))
        {
            await collector.CollectAsync(job, Recorder(job));
        }

        return await ReadAllAsync();
    }

    private async Task<List<EvidenceItem>> ReadAllAsync()
    {
        var items = new List<EvidenceItem>();
        await foreach (var id in _store.ListItemIdsAsync())
        {
            items.Add((await _store.GetItemAsync(id))!);
        }

        return items;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
