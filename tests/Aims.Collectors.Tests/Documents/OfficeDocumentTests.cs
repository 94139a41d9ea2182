using Aims.Collectors.Documents;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.Documents;

/// <summary>Office documents are zip archives: their media types name "xml", yet they must never be decoded or redacted as text.</summary>
public sealed class OfficeDocumentTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("policy.docx")]
    [InlineData("register.xlsx")]
    [InlineData("briefing.pptx")]
    public async Task An_Office_document_is_stored_byte_for_byte(string name)
    {
        // A zip header followed by bytes that are not valid UTF-8.
        byte[] content = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xfe, 0x00, 0x01, 0xc3, 0x28];
        var docs = _dir.Combine("documents");
        Directory.CreateDirectory(docs);
        await File.WriteAllBytesAsync(Path.Combine(docs, name), content);
        await File.WriteAllTextAsync(Path.Combine(docs, name + DocumentSelection.SidecarSuffix), "type: ai-policy\n");
        var store = new FolderEvidenceStore(_dir.Combine("store"));
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Aims:Sources:Documents:Path"] = docs }).Build().GetSection("Aims:Sources:Documents");
        var collector = new DocumentsSource().Create(section, new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, _dir.Path));

        await foreach (var job in collector.PlanAsync(new CollectionPlan("run-1", new EvidencePeriod(Now.AddYears(-1), Now))))
        {
            await collector.CollectAsync(job, new EvidenceRecorder(store, job, new CollectorIdentity("documents", "test", "DocumentsCollector", "test"), RequirementSet.LoadDefaults(), TimeProvider.System));
        }

        var id = Assert.Single(await store.ListItemIdsAsync().ToListAsync());
        var item = (await store.GetItemAsync(id))!;
        Assert.Equal(CanonicalJson.Sha256Hex(content), item.RawSha256);
        await using var raw = await store.OpenRawAsync(item.RawSha256!);
        using var copy = new MemoryStream();
        await raw!.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }
}
