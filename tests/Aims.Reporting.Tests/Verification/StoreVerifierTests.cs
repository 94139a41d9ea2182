using System.Security.Cryptography;
using System.Text;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;

namespace Aims.Reporting.Tests.Verification;

public sealed class StoreVerifierTests
{
    public sealed class VerifyAsync
    {
        [Fact]
        public async Task Finds_a_store_written_through_the_recorder_intact()
        {
            using var sample = await SampleEvidence.CreateAsync();

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            Assert.True(result.IsIntact, string.Join("\n", result.Findings));
            Assert.Equal(5, result.Checked.Items);
            Assert.Equal(1, result.Checked.RawPayloads);
            Assert.Equal(5, result.Checked.LedgerEntries);
            Assert.Equal(sample.Store.Description, result.Target);
        }

        [Fact]
        public async Task Names_the_path_of_an_item_overwritten_out_of_band()
        {
            // Given an item file rewritten on disk with an approval it never had
            using var sample = await SampleEvidence.CreateAsync();
            var file = sample.ItemFile("impact");
            var text = await File.ReadAllTextAsync(file);
            await File.WriteAllTextAsync(file, text.Replace("\"reviewDue\"", "\"approvedBy\":\"Board\",\"reviewDue\"", StringComparison.Ordinal));

            // When the store is verified
            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            // Then the finding names the item's path in the store, and the index entry that points to it
            var id = sample.Ids["impact"];
            var finding = Assert.Single(result.Findings, f => f.Name == $"items/{id[..2]}/{id}.json");
            Assert.Equal(FindingKind.Altered, finding.Kind);
            Assert.Contains("ledger segment 'local' entry 2", finding.Problem, StringComparison.Ordinal);
            Assert.Contains(result.Findings, f => f.Name == "index/document" && f.Problem.Contains(id, StringComparison.Ordinal));
        }

        [Fact]
        public async Task Notices_an_item_reformatted_with_the_same_content()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var file = sample.ItemFile("policy");
            await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(",", ", ", StringComparison.Ordinal));

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            Assert.Contains(result.Findings, f => f.Name.EndsWith($"{sample.Ids["policy"]}.json", StringComparison.Ordinal) && f.Problem.Contains("canonical", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Reports_a_broken_ledger_line_naming_the_file_and_line()
        {
            // Given a ledger whose third line was cut short
            using var sample = await SampleEvidence.CreateAsync();
            var lines = await File.ReadAllLinesAsync(sample.LedgerFile);
            lines[2] = lines[2][..40];
            await File.WriteAllTextAsync(sample.LedgerFile, string.Join('\n', lines) + "\n");

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            Assert.False(result.IsIntact);
            var broken = Assert.Single(result.Findings, f => f.Kind == FindingKind.Unreadable && f.Name == "ledger/");
            Assert.Contains("ledger/local.jsonl line 3", broken.Problem, StringComparison.Ordinal);
            // items after the break cannot be matched, and are reported together rather than as "added"
            Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.Added);
            Assert.Contains(result.Findings, f => f.Name == "items/" && f.Problem.StartsWith("3 item(s)", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Breaks_the_chain_at_an_edited_ledger_entry()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var lines = await File.ReadAllLinesAsync(sample.LedgerFile);
            lines[1] = lines[1].Replace("\"controls\":[\"A.5.3\",\"A.5.4\",\"A.5.5\"]", "\"controls\":[\"A.5.3\"]", StringComparison.Ordinal);
            await File.WriteAllLinesAsync(sample.LedgerFile, lines);

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            var finding = Assert.Single(result.Findings);
            Assert.Equal("ledger/local", finding.Name);
            Assert.Equal(FindingKind.ChainBroken, finding.Kind);
            Assert.Contains("entry 2", finding.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Breaks_the_chain_at_a_removed_ledger_entry()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var lines = (await File.ReadAllLinesAsync(sample.LedgerFile)).ToList();
            lines.RemoveAt(3);
            await File.WriteAllLinesAsync(sample.LedgerFile, lines);

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            var id = sample.Ids["chatbot-prs"];
            Assert.Contains(result.Findings, f => f.Name == "ledger/local" && f.Problem.Contains("entry 5 follows entry 3: 1 entry is missing", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Name == $"items/{id[..2]}/{id}.json" && f.Kind == FindingKind.Added);
        }

        [Fact]
        public async Task Flags_an_item_file_the_ledger_does_not_know_as_added()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var id = new string('c', 32);
            var source = sample.ItemFile("policy");
            Directory.CreateDirectory(Path.Combine(sample.Store.Root, "items", "cc"));
            File.Copy(source, Path.Combine(sample.Store.Root, "items", "cc", id + ".json"));

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            var finding = Assert.Single(result.Findings);
            Assert.Equal($"items/cc/{id}.json", finding.Name);
            Assert.Equal(FindingKind.Added, finding.Kind);
        }

        [Fact]
        public async Task Flags_a_deleted_item_and_the_index_entry_pointing_to_it()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var id = sample.Ids["chatbot-protection"];
            File.Delete(sample.ItemFile("chatbot-protection"));

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            Assert.Contains(result.Findings, f => f.Name == $"items/{id[..2]}/{id}.json" && f.Kind == FindingKind.Removed && f.Problem.Contains("entry 5", StringComparison.Ordinal));
            Assert.Contains(result.Findings, f => f.Name == "index/github.branch-protection" && f.Problem.Contains(id, StringComparison.Ordinal));
        }

        [Fact]
        public async Task Names_an_altered_raw_payload()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var sha = Convert.ToHexStringLower(SHA256.HashData(SampleEvidence.ProtectionPayload));
            var path = Path.Combine(sample.Store.Root, "raw", sha[..2], sha);
            await File.WriteAllTextAsync(path, Encoding.UTF8.GetString(SampleEvidence.ProtectionPayload).Replace("2", "0", StringComparison.Ordinal));

            var result = await new StoreVerifier(sample.Store).VerifyAsync();

            var finding = Assert.Single(result.Findings);
            Assert.Equal($"raw/{sha[..2]}/{sha}", finding.Name);
            Assert.Equal(FindingKind.Altered, finding.Kind);
        }

        [Fact]
        public async Task Verifies_a_larger_store_in_parallel_without_false_findings()
        {
            using var sample = SampleEvidence.Empty();
            for (var i = 0; i < 300; i++)
            {
                await sample.RecordDocumentAsync($"doc-{i:D3}", SampleEvidence.At(2026, 1, 1).AddMinutes(i), $"Record {i}", "competence-records", ["A.4.6"], [],
                    approvedBy: "HR", approvedOn: "2026-01-01", reviewDue: null);
            }

            File.Delete(sample.ItemFile("doc-150"));
            var progress = new List<VerificationProgress>();

            var result = await new StoreVerifier(sample.Store, maxParallelism: 8).VerifyAsync(new SynchronousProgress<VerificationProgress>(progress.Add));

            Assert.Equal(300, result.Checked.LedgerEntries);
            Assert.Equal(300, result.Checked.Items);
            var removed = Assert.Single(result.Findings, f => f.Kind == FindingKind.Removed);
            Assert.EndsWith($"{sample.Ids["doc-150"]}.json", removed.Name, StringComparison.Ordinal);
            Assert.Equal(300, progress[^1].Items);
        }
    }
}
