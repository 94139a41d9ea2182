using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Aims.Reporting.Bundle;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;

namespace Aims.Reporting.Tests.Verification;

public sealed class BundleVerifierTests
{
    public sealed class VerifyAsync
    {
        [Fact]
        public async Task Finds_a_fresh_bundle_intact()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());

            var result = await VerifyFileAsync(sample, zip);

            Assert.True(result.IsIntact, string.Join("\n", result.Findings));
            Assert.Equal(5, result.Checked.Items);
            Assert.Equal(1, result.Checked.RawPayloads);
            Assert.Equal(5, result.Checked.LedgerEntries);
            Assert.Equal(Bundles.Names(zip).Count - 1, result.Checked.Files);
        }

        [Fact]
        public async Task Names_an_item_file_with_one_byte_changed()
        {
            // Given a bundle in which one byte of one evidence file was changed
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var path = BundleLayout.ItemPath(sample.Ids["policy"]);
            var content = Bundles.Files(zip)[path];
            var at = Encoding.UTF8.GetString(content).IndexOf("Chief Risk Officer", StringComparison.Ordinal);
            content[at] = (byte)'X';
            var tampered = Bundles.Change(zip, archive => Bundles.Replace(archive, path, content));

            // When it is verified
            var result = await VerifyFileAsync(sample, tampered);

            // Then verification fails and names that file (against SHA256SUMS, manifest.json and the ledger)
            Assert.False(result.IsIntact);
            Assert.All(result.Findings, f => Assert.Equal(path, f.Name));
            Assert.Contains(result.Findings, f => f.Kind == FindingKind.Altered && f.Problem.Contains("SHA256SUMS", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Kind == FindingKind.Altered && f.Problem.Contains("manifest.json", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Kind == FindingKind.Altered && f.Problem.Contains("ledger segment 'local' entry 1", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Names_a_changed_item_even_when_the_checksums_were_recomputed()
        {
            // Given an item edited and SHA256SUMS and manifest.json rewritten to match it
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var files = Bundles.Files(zip);
            var path = BundleLayout.ItemPath(sample.Ids["impact"]);
            var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files[path]).Replace("no approval recorded", "approved by the board", StringComparison.Ordinal));
            var oldSha = Sha(files[path]);
            var newSha = Sha(forged);
            var manifest = Encoding.UTF8.GetString(files["manifest.json"]).Replace(oldSha, newSha, StringComparison.Ordinal)
                .Replace($"\"size\": {files[path].Length},\n      \"sha256\": \"{newSha}\"", $"\"size\": {forged.Length},\n      \"sha256\": \"{newSha}\"", StringComparison.Ordinal);
            var manifestBytes = Encoding.UTF8.GetBytes(manifest);
            var sums = Encoding.UTF8.GetString(files["SHA256SUMS"]).Replace(oldSha, newSha, StringComparison.Ordinal)
                .Replace(Sha(files["manifest.json"]), Sha(manifestBytes), StringComparison.Ordinal);
            var tampered = Bundles.Change(zip, archive =>
            {
                Bundles.Replace(archive, path, forged);
                Bundles.Replace(archive, "manifest.json", manifestBytes);
                Bundles.Replace(archive, "SHA256SUMS", Encoding.UTF8.GetBytes(sums));
            });

            // When it is verified
            var result = await VerifyFileAsync(sample, tampered);

            // Then the ledger proof still gives the item away
            var finding = Assert.Single(result.Findings);
            Assert.Equal(path, finding.Name);
            Assert.Equal(FindingKind.Altered, finding.Kind);
        }

        [Fact]
        public async Task Names_a_removed_file()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var path = BundleLayout.ItemPath(sample.Ids["chatbot-protection"]);
            var tampered = Bundles.Change(zip, archive => archive.GetEntry(path)!.Delete());

            var result = await VerifyFileAsync(sample, tampered);

            Assert.False(result.IsIntact);
            Assert.Contains(result.Findings, f => f.Name == path && f.Kind == FindingKind.Removed && f.Problem.Contains("SHA256SUMS", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Name == path && f.Kind == FindingKind.Removed && f.Problem.Contains("manifest.json", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Name == "manifest.json" && f.Kind == FindingKind.Mismatch);
        }

        [Fact]
        public async Task Names_an_added_file()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var tampered = Bundles.Change(zip, archive => Bundles.Add(archive, "evidence/raw/notes.txt", Encoding.UTF8.GetBytes("extra evidence")));

            var result = await VerifyFileAsync(sample, tampered);

            Assert.False(result.IsIntact);
            Assert.All(result.Findings.Where(f => f.Name != "manifest.json"), f => Assert.Equal("evidence/raw/notes.txt", f.Name));
            Assert.Contains(result.Findings, f => f.Name == "manifest.json" && f.Problem == "records 1 raw payloads, the bundle holds 2.");
            Assert.Contains(result.Findings, f => f.Kind == FindingKind.Added && f.Problem.Contains("SHA256SUMS", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Kind == FindingKind.Added && f.Problem.Contains("manifest.json", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Kind == FindingKind.Altered && f.Problem.Contains("named by", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Names_a_file_whose_manifest_hash_is_not_a_sha256_and_nothing_else()
        {
            // Given a bundle whose manifest records "not-a-hash" for controls.csv, with SHA256SUMS agreeing with that manifest
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var manifest = System.Text.Json.Nodes.JsonNode.Parse(Bundles.Files(zip)["manifest.json"])!;
            var listed = manifest["files"]!.AsArray().Single(f => (string?)f!["path"] == "controls.csv")!;
            listed["sha256"] = "not-a-hash";
            var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
            var tampered = Bundles.Change(zip, archive =>
            {
                Bundles.Replace(archive, "manifest.json", manifestBytes);
                var sums = Encoding.UTF8.GetString(Bundles.Files(zip)["SHA256SUMS"]).Split('\n')
                    .Select(l => l.EndsWith("  manifest.json", StringComparison.Ordinal) ? $"{Sha(manifestBytes)}  manifest.json" : l);
                Bundles.Replace(archive, "SHA256SUMS", Encoding.UTF8.GetBytes(string.Join('\n', sums)));
            });

            var result = await VerifyFileAsync(sample, tampered);

            var finding = Assert.Single(result.Findings);
            Assert.Equal("controls.csv", finding.Name);
            Assert.Equal(FindingKind.Altered, finding.Kind);
            Assert.Contains("manifest.json records", finding.Problem, StringComparison.Ordinal);
            Assert.Contains("a malformed SHA-256", finding.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Names_an_added_item_missing_from_the_ledger_proof()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var files = Bundles.Files(zip);
            var copy = files[BundleLayout.ItemPath(sample.Ids["policy"])];
            var fakeId = new string('a', 32);
            var tampered = Bundles.Change(zip, archive => Bundles.Add(archive, BundleLayout.ItemPath(fakeId), copy));

            var result = await VerifyFileAsync(sample, tampered);

            Assert.Contains(result.Findings, f => f.Name == BundleLayout.ItemPath(fakeId) && f.Kind == FindingKind.Added && f.Problem.Contains("ledger/entries.jsonl", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Breaks_the_chain_when_a_ledger_entry_is_dropped()
        {
            // Given a ledger proof with its second entry removed (and the checksums made to agree)
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var files = Bundles.Files(zip);
            var lines = Encoding.UTF8.GetString(files[BundleLayout.LedgerEntries]).Split('\n').ToList();
            lines.RemoveAt(1);
            var ledger = Encoding.UTF8.GetBytes(string.Join('\n', lines));
            var sums = Encoding.UTF8.GetString(files["SHA256SUMS"]).Replace(Sha(files[BundleLayout.LedgerEntries]), Sha(ledger), StringComparison.Ordinal);
            var tampered = Bundles.Change(zip, archive =>
            {
                Bundles.Replace(archive, BundleLayout.LedgerEntries, ledger);
                Bundles.Replace(archive, "SHA256SUMS", Encoding.UTF8.GetBytes(sums));
            });

            var result = await VerifyFileAsync(sample, tampered);

            Assert.Contains(result.Findings, f => f.Name == BundleLayout.LedgerEntries && f.Kind == FindingKind.ChainBroken && f.Problem.Contains("entry 3 follows entry 1", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Name == BundleLayout.ItemPath(sample.Ids["impact"]) && f.Problem.Contains("not recorded in ledger/entries.jsonl", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Breaks_the_chain_when_a_ledger_entry_is_edited()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var files = Bundles.Files(zip);
            var text = Encoding.UTF8.GetString(files[BundleLayout.LedgerEntries]);
            var edited = Encoding.UTF8.GetBytes(text.Replace("\"observedAt\":\"2026-03-05T10:00:00.000Z\"", "\"observedAt\":\"2026-03-04T10:00:00.000Z\"", StringComparison.Ordinal));
            Assert.NotEqual(files[BundleLayout.LedgerEntries], edited);
            var tampered = Bundles.Change(zip, archive => Bundles.Replace(archive, BundleLayout.LedgerEntries, edited));

            var result = await VerifyFileAsync(sample, tampered);

            Assert.Contains(result.Findings, f => f.Name == BundleLayout.LedgerEntries && f.Kind == FindingKind.ChainBroken && f.Problem.Contains("entry 3", StringComparison.Ordinal) && f.Problem.Contains("altered", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Name == BundleLayout.LedgerEntries && f.Kind == FindingKind.Altered);
        }

        [Fact]
        public async Task Reports_a_zip_whose_compressed_bytes_were_damaged_without_throwing()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var path = BundleLayout.ItemPath(sample.Ids["policy"]);
            var damaged = (byte[])zip.Clone();
            using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            {
                // The first entry's compressed data starts after its 30-byte local header and name.
                Assert.Equal(path, archive.Entries[0].FullName);
            }

            var dataStart = 30 + Encoding.UTF8.GetByteCount(path) + BitConverter.ToUInt16(zip, 28);
            damaged[dataStart + 5] ^= 0xFF;

            var result = await VerifyFileAsync(sample, damaged);

            Assert.False(result.IsIntact);
            Assert.Contains(result.Findings, f => f.Name == path);
        }

        [Fact]
        public async Task Says_a_file_that_is_not_a_zip_is_unreadable()
        {
            using var sample = SampleEvidence.Empty();

            var result = await VerifyFileAsync(sample, Encoding.UTF8.GetBytes("not a zip at all"));

            var finding = Assert.Single(result.Findings);
            Assert.Equal(FindingKind.Unreadable, finding.Kind);
        }

        [Fact]
        public async Task Verifies_a_bundle_from_a_stream_that_cannot_seek()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var tampered = Bundles.Change(zip, archive => archive.GetEntry("controls.csv")!.Delete());

            var intact = await new BundleVerifier().VerifyAsync(new ReadOnlyForwardStream(zip));
            var broken = await new BundleVerifier().VerifyAsync(new ReadOnlyForwardStream(tampered));

            Assert.True(intact.IsIntact, string.Join("\n", intact.Findings));
            Assert.Contains(broken.Findings, f => f.Name == "controls.csv" && f.Kind == FindingKind.Removed);
        }

        [Fact]
        public async Task Verifies_a_bundle_that_selected_part_of_the_ledger()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, result) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(), controls: ["A.5.3"]);

            var verified = await VerifyFileAsync(sample, zip);

            Assert.Equal(1, result.ItemCount);
            Assert.Equal(2, result.LedgerEntryCount);
            Assert.True(verified.IsIntact, string.Join("\n", verified.Findings));
        }

        private static async Task<VerificationResult> VerifyFileAsync(SampleEvidence sample, byte[] zip)
        {
            var path = sample.Folder.Combine($"bundle-{Path.GetRandomFileName()}.zip");
            await File.WriteAllBytesAsync(path, zip);
            return await new BundleVerifier().VerifyAsync(path);
        }

        private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private sealed class ReadOnlyForwardStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
