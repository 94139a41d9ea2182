using System.Text;
using Aims.Collectors.Documents;
using Aims.Collectors.Documents.Blob;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Aims.Testing.Azurite;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.Documents;

/// <summary>The blob-container documents source against a real Azurite: the folder source's rules, read from a container.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobDocumentsSourceTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly string _variable = "AIMS_TEST_DOCS_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _containerName = AzuriteFixture.UniqueName("docs");
    private BlobContainerClient _container = null!;
    private FolderEvidenceStore _store = null!;

    public async Task InitializeAsync()
    {
        _container = new BlobContainerClient(azurite.ConnectionString, _containerName);
        await _container.CreateAsync();
        _store = new FolderEvidenceStore(_dir.Combine("store"));
        Environment.SetEnvironmentVariable(_variable, azurite.ConnectionString);
    }

    public Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        return Task.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Front_matter_and_sidecars_in_a_container_give_the_same_items_as_in_a_folder()
    {
        await UploadAsync("governance/policies/ai-policy.md", "---\ntype: ai-policy\ntitle: Contoso AI Policy\napproved-by: Dana Whitfield\napproved-on: 2026-03-10\nreview-due: 2027-03-10\n---\n# Policy\n");
        await UploadAsync("governance/procedures/supplier.pdf", [0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0x00]);
        await UploadAsync("governance/procedures/supplier.pdf.aims.yaml", "type: supplier-management\napproved-by: Procurement\napproved-on: 2026-04-05\n");
        await UploadAsync("governance/README.md", "# not a governed document\n");
        await UploadAsync("elsewhere/other.md", "---\ntype: ai-policy\n---\n");
        var folder = _dir.Combine("folder");
        Write(folder, "policies/ai-policy.md", "---\ntype: ai-policy\ntitle: Contoso AI Policy\napproved-by: Dana Whitfield\napproved-on: 2026-03-10\nreview-due: 2027-03-10\n---\n# Policy\n");

        var items = await CollectAsync(Settings(prefix: "governance"));

        Assert.Equal(["policies/ai-policy.md", "procedures/supplier.pdf"], items.Select(i => i.Subject.Id).Order());
        var policy = items.Single(i => i.Subject.Id == "policies/ai-policy.md");
        Assert.Equal(EvidenceKinds.Document, policy.Kind);
        Assert.Equal("Dana Whitfield", policy.Facts["approvedBy"]!.GetValue<string>());
        Assert.Equal("2027-03-10", policy.Facts["reviewDue"]!.GetValue<string>());
        var supplier = items.Single(i => i.Subject.Id == "procedures/supplier.pdf");
        Assert.Equal("application/pdf", supplier.RawMediaType);
        Assert.Equal(CanonicalJson.Sha256Hex(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0x00 }), supplier.RawSha256);

        var fromFolder = await CollectFolderAsync(folder);
        var same = Assert.Single(fromFolder);
        Assert.Equal(same.RawSha256, policy.RawSha256);
        Assert.Equal(same.Facts.ToJsonString(), policy.Facts.ToJsonString());
    }

    [Fact]
    public async Task Secrets_in_a_blob_document_are_redacted_from_the_stored_copy()
    {
        await UploadAsync("runbook.md", "---\ntype: ai-policy\n---\nConnect with token ghp_0123456789abcdefghijABCDEFGHIJ0123456789\n");

        var item = Assert.Single(await CollectAsync(Settings()));

        await using var raw = await _store.OpenRawAsync(item.RawSha256!);
        var text = await new StreamReader(raw!).ReadToEndAsync();
        Assert.DoesNotContain("ghp_0123456789", text);
        Assert.Contains("[REDACTED]", text);
    }

    [Fact]
    public async Task Malformed_metadata_and_an_orphan_sidecar_are_reported_per_document()
    {
        await UploadAsync("a-good.md", "---\ntype: ai-policy\n---\n");
        await UploadAsync("b-bad.md", "---\ntype: internal-audit\napproved-on: 2026-13-40\n---\n");
        await UploadAsync("gone.pdf.aims.yaml", "type: supplier-management\n");
        await UploadAsync(".hidden/secret.md", "---\ntype: ai-policy\n---\n");

        var items = await CollectAsync(Settings());

        Assert.Equal("a-good.md", Assert.Single(items, i => !i.IsCollectorError).Subject.Id);
        var errors = items.Where(i => i.IsCollectorError).ToDictionary(i => i.Subject.Id);
        Assert.Equal(["b-bad.md", "gone.pdf"], errors.Keys.Order());
        Assert.Contains("not a date", errors["b-bad.md"].Facts["error"]!.GetValue<string>());
        Assert.Contains("does not exist", errors["gone.pdf"].Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_container_becomes_a_source_level_collector_error_naming_it()
    {
        var settings = Settings();
        settings["Container"] = "no-such-container";

        var error = Assert.Single(await CollectAsync(settings));

        Assert.Equal("source/documents", error.Subject.Key);
        Assert.Contains("no-such-container' does not exist", error.Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_naming_a_path_outside_the_prefix_is_refused()
    {
        await UploadAsync("secret.md", "---\ntype: ai-policy\n---\n");
        var collector = Create(Settings(prefix: "governance"));
        var job = new CollectionJob("run", "documentsblob:0001", BlobDocumentsSource.SourceName, new EvidencePeriod(Now.AddYears(-1), Now),
            new Dictionary<string, string> { ["files"] = "../secret.md\nx//y.md" });

        await collector.CollectAsync(job, Recorder(job));

        var items = await ReadAllAsync();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Contains("not a relative path inside the documents container", i.Facts["error"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("ContainerUrl", "http://contosoaims.blob.core.windows.net/documents", "ContainerUrl")]
    [InlineData("ContainerUrl", "https://contosoaims.blob.core.windows.net/documents?sv=2024&sig=abc", "ContainerUrl")]
    [InlineData("ClientId", "not-a-guid", "ClientId")]
    [InlineData("Prefix", "policies/../secrets", "Prefix")]
    public void Invalid_settings_fail_at_start_naming_the_setting(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["ContainerUrl"] = "https://contosoaims.blob.core.windows.net/documents", [key] = value };

        var error = Assert.Throws<InvalidSettingException>(() => Create(settings));

        Assert.Equal($"Aims:Sources:DocumentsBlob:{named}", error.Setting);
        Assert.DoesNotContain("sig=abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_variable_that_is_not_set_is_named()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStringVariable"] = "AIMS_TEST_DOCS_NOT_SET", ["Container"] = "documents" };

        var error = Assert.Throws<InvalidSettingException>(() => Create(settings));

        Assert.Contains("AIMS_TEST_DOCS_NOT_SET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_source_describes_its_container_without_the_connection_string()
    {
        var state = new BlobDocumentsSource().Describe(Section(Settings(prefix: "governance")));

        Assert.True(state.Configured);
        Assert.Equal("documents", state.Family);
        Assert.Contains(_containerName, state.Detail, StringComparison.Ordinal);
        Assert.Contains("governance/", state.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, state.Detail, StringComparison.Ordinal);
        Assert.False(new BlobDocumentsSource().Describe(Section([])).Configured);
    }

    private Dictionary<string, string?> Settings(string? prefix = null) => new()
    {
        ["ConnectionStringVariable"] = _variable,
        ["Container"] = _containerName,
        ["Prefix"] = prefix,
    };

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(kv => kv.Value is not null).ToDictionary(kv => $"Aims:Sources:DocumentsBlob:{kv.Key}", kv => kv.Value))
            .Build()
            .GetSection("Aims:Sources:DocumentsBlob");

    private IEvidenceCollector Create(Dictionary<string, string?> settings) => new BlobDocumentsSource().Create(Section(settings), Context());

    private SourceContext Context() => new(new FixedClock(Now), NullLoggerFactory.Instance, _dir.Path);

    private Task UploadAsync(string name, string text) => UploadAsync(name, Encoding.UTF8.GetBytes(text));

    private async Task UploadAsync(string name, byte[] content) => await _container.UploadBlobAsync(name, new BinaryData(content));

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
    }

    private EvidenceRecorder Recorder(CollectionJob job) =>
        new(_store, job, new CollectorIdentity("documents", "test", "DocumentsCollector", "test"), RequirementSet.LoadDefaults(), new FixedClock(Now));

    private async Task<List<EvidenceItem>> CollectAsync(Dictionary<string, string?> settings) => await RunAsync(Create(settings));

    private async Task<List<EvidenceItem>> CollectFolderAsync(string folder)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Aims:Sources:Documents:Path"] = folder }).Build().GetSection("Aims:Sources:Documents");
        var before = (await ReadAllAsync()).Select(i => i.Id).ToHashSet();
        await RunAsync(new DocumentsSource().Create(section, Context()), "run-folder");
        return (await ReadAllAsync()).Where(i => !before.Contains(i.Id)).ToList();
    }

    private async Task<List<EvidenceItem>> RunAsync(IEvidenceCollector collector, string runId = "run-1")
    {
        await foreach (var job in collector.PlanAsync(new CollectionPlan(runId, new EvidencePeriod(Now.AddYears(-1), Now))))
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
