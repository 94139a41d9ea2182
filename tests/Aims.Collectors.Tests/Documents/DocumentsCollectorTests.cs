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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_documents_path_that_is_not_a_folder_is_a_configuration_error(bool isFile)
    {
        Directory.Delete(_docs);
        if (isFile)
        {
            File.WriteAllText(_docs, "not a folder");
        }

        var error = Assert.Throws<InvalidSettingException>(Create);

        Assert.Equal("Aims:Sources:Documents:Path", error.Setting);
        Assert.Contains(isFile ? "is a file" : "does not exist", error.Message);
    }

    [Theory]
    [InlineData("controls: [A.2.2, 9.2\nowner: Dana\n")]
    [InlineData("title: [unclosed\n")]
    [InlineData("controls: [9.2\n")]
    [InlineData("title: {a: [b\n")]
    [InlineData("owner: x\nowner: y\n")]
    public async Task Any_yaml_failure_in_front_matter_is_one_collector_error_naming_line_and_column(string frontMatter)
    {
        Write("a-bad.md", "---\ntype: ai-policy\n" + frontMatter + "---\n");
        Write("b-good.md", "---\ntype: management-review\n---\n");

        var items = await CollectAsync();

        Assert.Equal("b-good.md", Assert.Single(items, i => !i.IsCollectorError).Subject.Id);
        var error = Assert.Single(items, i => i.IsCollectorError);
        Assert.Matches(@"line \d+, column \d+: not valid YAML", error.Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_document_error_is_filed_only_under_the_controls_it_declared()
    {
        Write("review.md", "---\ntype: [broken\ncontrols: [9.2]\n---\n");

        var error = Assert.Single(await CollectAsync());

        Assert.True(error.IsCollectorError);
        Assert.Equal(["9.2"], error.Controls);
    }

    [Fact]
    public async Task A_secret_in_a_document_title_never_reaches_the_item()
    {
        Write("deploy.md", "---\ntype: ai-policy\ntitle: \"Deploy ghp_0123456789abcdefghijABCDEFGHIJ0123456789 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl\"\n---\nbody\n");

        var item = Assert.Single(await CollectAsync());

        var json = EvidenceItemJson.ToNode(item).ToJsonString();
        Assert.DoesNotContain("ghp_0123", json);
        Assert.DoesNotContain("eyJhbGci", json);
        Assert.Contains("[REDACTED]", item.Subject.DisplayName);
    }

    [Fact]
    public async Task A_text_file_with_an_unknown_extension_is_detected_by_content_and_redacted()
    {
        Write("deploy-config.cfg", "endpoint=https://svc:pa55w0rd@db.contoso.com\ntoken ghp_0123456789abcdefghijABCDEFGHIJ0123456789\n");
        Write("deploy-config.cfg.aims.yaml", "type: ai-policy\n");

        var item = Assert.Single(await CollectAsync());

        Assert.Equal("text/plain", item.RawMediaType);
        var stored = await ReadRawTextAsync(item.RawSha256!);
        Assert.DoesNotContain("pa55w0rd", stored);
        Assert.DoesNotContain("ghp_0123", stored);
        Assert.True(item.Facts["redacted"]!.GetValue<bool>());
        Assert.Equal(CanonicalJson.Sha256Hex(File.ReadAllBytes(Path.Combine(_docs, "deploy-config.cfg"))), item.Facts["sha256"]!.GetValue<string>());
        Assert.Equal(item.RawSha256, item.Facts["storedSha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_yaml_file_is_text_and_is_redacted()
    {
        Write("deploy-config.yaml", "db:\n  password: hunter2-prod\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        Write("deploy-config.yaml.aims.yaml", "type: ai-policy\n");

        var item = Assert.Single(await CollectAsync());

        Assert.Equal("application/yaml", item.RawMediaType);
        var stored = await ReadRawTextAsync(item.RawSha256!);
        Assert.DoesNotContain("hunter2-prod", stored);
        Assert.DoesNotContain("wJalrXUtnFEMI", stored);
    }

    [Fact]
    public async Task A_large_text_document_without_secrets_is_stored_byte_exact_and_its_hash_matches()
    {
        var body = new StringBuilder("---\r\ntype: ai-policy\r\n---\r\n");
        while (body.Length < 9 * 1024 * 1024)
        {
            body.Append("A plain line of a long procedure, with Windows line endings.\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToString().TrimEnd());
        File.WriteAllBytes(Path.Combine(_docs, "big.md"), bytes);

        var item = Assert.Single(await CollectAsync());

        Assert.Equal(CanonicalJson.Sha256Hex(bytes), item.RawSha256);
        Assert.Equal(item.RawSha256, item.Facts["sha256"]!.GetValue<string>());
        Assert.Equal(bytes.LongLength, item.Facts["sizeBytes"]!.GetValue<long>());
        Assert.Null(item.Facts["redacted"]);
    }

    [Fact]
    public async Task A_symlink_inside_the_folder_is_followed()
    {
        Write("real/ai-policy.md", "---\ntype: ai-policy\n---\n");
        File.CreateSymbolicLink(Path.Combine(_docs, "linked.md"), Path.Combine(_docs, "real/ai-policy.md"));
        Directory.CreateSymbolicLink(Path.Combine(_docs, "alias"), Path.Combine(_docs, "real"));

        var items = await CollectAsync();

        Assert.All(items, i => Assert.False(i.IsCollectorError));
        Assert.Equal(["alias/ai-policy.md", "linked.md", "real/ai-policy.md"], items.Select(i => i.Subject.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_folder_link_pointing_back_up_does_not_loop()
    {
        Write("sub/ai-policy.md", "---\ntype: ai-policy\n---\n");
        Directory.CreateSymbolicLink(Path.Combine(_docs, "sub/up"), _docs);

        var items = await CollectAsync();

        Assert.Equal(["sub/ai-policy.md"], items.Select(i => i.Subject.Id));
    }

    [Fact]
    public async Task A_symlink_leaving_the_folder_is_reported_and_not_read()
    {
        File.WriteAllText(_dir.Combine("outside.md"), "---\ntype: ai-policy\ntitle: outside secret\n---\n");
        Directory.CreateDirectory(_dir.Combine("elsewhere"));
        File.WriteAllText(_dir.Combine("elsewhere/other.md"), "---\ntype: ai-policy\n---\n");
        File.CreateSymbolicLink(Path.Combine(_docs, "escape.md"), _dir.Combine("outside.md"));
        File.CreateSymbolicLink(Path.Combine(_docs, "escape.bin"), _dir.Combine("outside.md"));
        Directory.CreateSymbolicLink(Path.Combine(_docs, "away"), _dir.Combine("elsewhere"));

        var items = await CollectAsync();

        // The document-named link is reported; nothing behind any link that leaves the folder is read.
        Assert.All(items, i => Assert.True(i.IsCollectorError));
        Assert.Equal(["escape.md"], items.Select(i => i.Subject.Id));
        Assert.All(items, i => Assert.Contains("points outside the documents folder", i.Facts["error"]!.GetValue<string>()));
        Assert.DoesNotContain(items, i => i.Summary.Contains("outside secret", StringComparison.Ordinal));
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

    private async Task<string> ReadRawTextAsync(string sha)
    {
        await using var raw = await _store.OpenRawAsync(sha);
        return await new StreamReader(raw!).ReadToEndAsync();
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
