using Aims.Collectors.Documents;
using Aims.Evidence.Items;

namespace Aims.Collectors.Tests.Documents;

/// <summary>Office documents are zip archives: their media types name "xml", yet they must never be decoded or redacted as text.</summary>
public sealed class OfficeDocumentTests : IDisposable
{
    private readonly DocumentsHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("policy.docx")]
    [InlineData("register.xlsx")]
    [InlineData("briefing.pptx")]
    public async Task An_Office_document_is_stored_byte_for_byte(string name)
    {
        // A zip header followed by bytes that are not valid UTF-8.
        byte[] content = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xfe, 0x00, 0x01, 0xc3, 0x28];
        var docs = Path.Combine(_harness.Folder, "documents");
        Directory.CreateDirectory(docs);
        await File.WriteAllBytesAsync(Path.Combine(docs, name), content);
        await File.WriteAllTextAsync(Path.Combine(docs, name + DocumentSelection.SidecarSuffix), "type: ai-policy\n");
        var collector = new DocumentsSource().Create(DocumentsHarness.Section("Aims:Sources:Documents", [new("Path", docs)]), _harness.Context);

        var item = Assert.Single(await _harness.RunAsync(collector));

        Assert.Equal(CanonicalJson.Sha256Hex(content), item.RawSha256);
        await using var raw = await _harness.Store.OpenRawAsync(item.RawSha256!);
        using var copy = new MemoryStream();
        await raw!.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }
}
