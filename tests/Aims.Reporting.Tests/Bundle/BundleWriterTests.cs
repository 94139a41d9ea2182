using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aims.Evidence.Store;
using Aims.Reporting.Bundle;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Bundle;

public sealed partial class BundleWriterTests
{
    public sealed partial class WriteAsync
    {
        [Fact]
        public async Task Holds_the_stored_item_bytes_exactly_and_each_raw_payload_once()
        {
            // Given a store with five items, two of which carry the same raw payload
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            // When a bundle for the half year is written
            var (zip, result) = await Bundles.WriteAsync(sample, report);
            var files = Bundles.Files(zip);

            // Then every item is there byte for byte, and the shared payload once
            Assert.Equal(5, result.ItemCount);
            Assert.Equal(1, result.RawCount);
            foreach (var (name, id) in sample.Ids)
            {
                Assert.True(files.ContainsKey($"evidence/items/{id}.json"), $"{name} is missing");
                Assert.Equal(await File.ReadAllBytesAsync(sample.ItemFile(name)), files[$"evidence/items/{id}.json"]);
            }

            var rawSha = Convert.ToHexStringLower(SHA256.HashData(SampleEvidence.ProtectionPayload));
            Assert.Equal(SampleEvidence.ProtectionPayload, files[$"evidence/raw/{rawSha}.json"]);
            Assert.Single(files.Keys, k => k.StartsWith("evidence/raw/", StringComparison.Ordinal));
            Assert.Empty(result.Warnings);
            foreach (var name in new[] { "ledger/entries.jsonl", "ledger/README.txt", "controls.csv", "index.html", "manifest.json", "SHA256SUMS" })
            {
                Assert.True(files.ContainsKey(name), $"{name} is missing");
            }

            Assert.Equal(files.Count, result.FileCount);
        }

        [Fact]
        public async Task Lists_every_other_file_in_sha256sums_in_the_format_sha256sum_reads()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var files = Bundles.Files(zip);

            var sums = Encoding.UTF8.GetString(files["SHA256SUMS"]);

            Assert.EndsWith("\n", sums, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", sums, StringComparison.Ordinal);
            var lines = sums.TrimEnd('\n').Split('\n');
            var listed = new Dictionary<string, string>();
            foreach (var line in lines)
            {
                var match = SumsLine().Match(line);
                Assert.True(match.Success, $"'{line}' is not '<sha256>  <path>'");
                listed.Add(match.Groups["path"].Value, match.Groups["sha"].Value);
            }

            Assert.Equal(files.Keys.Where(k => k != "SHA256SUMS").Order(), listed.Keys.Order());
            foreach (var (path, sha) in listed)
            {
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[path])), sha);
            }
        }

        [Fact]
        public async Task Passes_sha256sum_check_once_extracted()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
            var folder = sample.Folder.Combine("extracted");
            Bundles.ExtractTo(zip, folder);

            var (exitCode, output) = await RunAsync("sha256sum", folder, "-c", "SHA256SUMS");

            Assert.True(exitCode == 0, output);
            Assert.Equal(Bundles.Names(zip).Count - 1, OkLine().Matches(output).Count);

            // and notices a change made after extraction
            await File.AppendAllTextAsync(Path.Combine(folder, "controls.csv"), "A.99,forged,annex-a,ok,,0\n");
            var (changedExit, changedOutput) = await RunAsync("sha256sum", folder, "-c", "--quiet", "SHA256SUMS");
            Assert.NotEqual(0, changedExit);
            Assert.Contains("controls.csv: FAILED", changedOutput, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Records_period_filters_generator_creation_time_and_files_in_the_manifest()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, result) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(aiSystem: "fraud-model"), controls: ["a.6.1.3", "A.5.3"], aiSystem: "fraud-model");
            var files = Bundles.Files(zip);

            using var manifest = JsonDocument.Parse(files["manifest.json"]);
            var root = manifest.RootElement;

            Assert.Equal("aims-evidence-bundle", root.GetProperty("format").GetString());
            Assert.Equal("aims-evidence", root.GetProperty("generator").GetProperty("name").GetString());
            Assert.Equal("0.1.0-test", root.GetProperty("generator").GetProperty("version").GetString());
            Assert.Equal("2026-06-15T09:30:00.000Z", root.GetProperty("createdAt").GetString());
            Assert.Equal("2026-01-01T00:00:00.000Z", root.GetProperty("period").GetProperty("from").GetString());
            Assert.Equal("2026-06-30T23:59:59.000Z", root.GetProperty("period").GetProperty("to").GetString());
            Assert.Equal(["A.6.1.3", "A.5.3"], root.GetProperty("controls").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("fraud-model", root.GetProperty("aiSystem").GetString());
            Assert.Equal(result.ItemCount, root.GetProperty("itemCount").GetInt32());
            Assert.Equal(2, result.ItemCount);
            var listed = root.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f);
            Assert.Equal(files.Keys.Where(k => k is not ("manifest.json" or "SHA256SUMS")).Order(), listed.Keys.Order());
            foreach (var (path, file) in listed)
            {
                Assert.Equal(files[path].Length, file.GetProperty("size").GetInt64());
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[path])), file.GetProperty("sha256").GetString());
            }
        }

        [Fact]
        public async Task Carries_the_ledger_chain_from_the_segment_start_through_the_last_selected_item()
        {
            // Given a bundle that selects only the March branch protection of fraud-model (the third ledger entry of five)
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, result) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(),
                from: SampleEvidence.At(2026, 3, 1), to: SampleEvidence.At(2026, 3, 31), aiSystem: "fraud-model");
            var files = Bundles.Files(zip);

            // Then the proof holds entries 1 to 3, unchanged
            var lines = Encoding.UTF8.GetString(files["ledger/entries.jsonl"]).TrimEnd('\n').Split('\n');
            var stored = (await File.ReadAllLinesAsync(sample.LedgerFile)).Take(3).ToArray();
            Assert.Equal(stored, lines);
            Assert.Equal(3, result.LedgerEntryCount);
            var entries = lines.Select(LedgerEntry.ParseLine).ToList();
            Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
            Assert.Equal(sample.Ids["fraud-protection"], entries[^1].ItemId);
            Assert.Equal(1, result.ItemCount);
            Assert.Contains("sha256sum", Encoding.UTF8.GetString(files["ledger/README.txt"]), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Writes_controls_csv_with_status_requirements_and_item_counts()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, report);

            var csv = Encoding.UTF8.GetString(Bundles.Files(zip)["controls.csv"]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal("control_id,title,type,status,requirement_ids,item_count", csv[0]);
            Assert.Equal(report.Controls.Count + 1, csv.Length);
            Assert.Contains("A.2.2,AI policy,annex-a,ok,ai-policy,1", csv);
            var a613 = csv.Single(l => l.StartsWith("A.6.1.3,", StringComparison.Ordinal)).Split(',');
            Assert.Equal("failing", a613[3]);
            Assert.Contains("branch-protection", a613[4].Split(' '));
            Assert.Equal("3", a613[5]);
            Assert.Contains(csv, l => l.StartsWith("9.2,", StringComparison.Ordinal) && l.Contains(",clause,", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Selects_items_observed_in_the_period()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, result) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(),
                from: SampleEvidence.At(2026, 2, 1), to: SampleEvidence.At(2026, 4, 20));

            Assert.Equal(ItemPaths(sample, "impact", "fraud-protection", "chatbot-prs"), ItemPathsIn(zip));
            Assert.Equal(3, result.ItemCount);
        }

        [Fact]
        public async Task Includes_evidence_observed_after_the_period_whose_period_covers_it()
        {
            // Given pull requests of January to March, collected on 10 June
            using var sample = await SampleEvidence.CreateAsync();
            await sample.RecordPopulationAsync("q1-prs", SampleEvidence.At(2026, 6, 10), Bundles.YearStart, SampleEvidence.At(2026, 4, 1), "contoso/fraud-model", "fraud-model");

            // When bundling the first quarter
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(), from: Bundles.YearStart, to: SampleEvidence.At(2026, 3, 31));

            // Then the population is in, and so is the April collector failure for a job period reaching back into Q1;
            // the June branch protection, a point-in-time observation after the quarter, is not
            Assert.Equal(ItemPaths(sample, "policy", "impact", "fraud-protection", "chatbot-prs", "q1-prs"), ItemPathsIn(zip));
        }

        [Fact]
        public async Task Selects_items_of_the_filtered_controls_only()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(), controls: ["A.2.2", "a.5.4"]);

            Assert.Equal(ItemPaths(sample, "policy", "impact"), ItemPathsIn(zip));
            var csv = Encoding.UTF8.GetString(Bundles.Files(zip)["controls.csv"]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["control_id", "A.2.2", "A.5.4"], csv.Select(l => l.Split(',')[0]));
        }

        [Fact]
        public async Task Selects_items_of_the_filtered_ai_system_only()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, result) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(), aiSystem: "chatbot");

            Assert.Equal(ItemPaths(sample, "chatbot-prs", "chatbot-protection"), ItemPathsIn(zip));
            Assert.Equal(1, result.RawCount);
        }

        [Fact]
        public async Task Rejects_a_period_that_ends_before_it_starts_and_an_unknown_control()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            var period = await Assert.ThrowsAsync<ArgumentException>(() => Bundles.WriteAsync(sample, report, from: Bundles.MidYear, to: Bundles.YearStart));
            var control = await Assert.ThrowsAsync<ArgumentException>(() => Bundles.WriteAsync(sample, report, controls: ["A.99.1"]));

            Assert.Contains("starts", period.Message, StringComparison.Ordinal);
            Assert.Contains("'A.99.1'", control.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Names_a_raw_payload_missing_from_the_store()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();
            var rawSha = Convert.ToHexStringLower(SHA256.HashData(SampleEvidence.ProtectionPayload));
            File.Delete(Path.Combine(sample.Store.Root, "raw", rawSha[..2], rawSha));

            var error = await Assert.ThrowsAsync<InvalidDataException>(() => Bundles.WriteAsync(sample, report));

            Assert.Contains($"raw/{rawSha[..2]}/{rawSha}", error.Message, StringComparison.Ordinal);
            Assert.Contains(sample.Ids["fraud-protection"], error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Links_every_item_from_index_html_under_its_control_and_ai_system()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());

            var html = Encoding.UTF8.GetString(Bundles.Files(zip)["index.html"]);

            foreach (var id in sample.Ids.Values)
            {
                Assert.Contains($"href=\"evidence/items/{id}.json\"", html, StringComparison.Ordinal);
            }

            Assert.Contains("<h3 id=\"system-fraud-model\">fraud-model</h3>", html, StringComparison.Ordinal);
            Assert.Contains("<h3 id=\"system-chatbot\">chatbot</h3>", html, StringComparison.Ordinal);
            Assert.Contains("<h4>Requirement ai-policy <span class=\"status s-ok\">ok</span></h4>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Reports_progress_through_every_stage()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var reports = new List<BundleProgress>();

            await Bundles.WriteAsync(sample, await sample.AnalyzeAsync(), progress: new SynchronousProgress<BundleProgress>(reports.Add));

            Assert.Equal([BundleStage.Evidence, BundleStage.Ledger, BundleStage.Index, BundleStage.Done], reports.Select(r => r.Stage).Distinct());
            Assert.Equal(5, reports[^1].ItemsWritten);
            Assert.Equal(5, reports[^1].LedgerEntriesRead);
        }

        [Fact]
        public async Task Streams_to_an_output_that_cannot_seek()
        {
            using var sample = await SampleEvidence.CreateAsync();
            using var target = new MemoryStream();
            await using var forwardOnly = new ForwardOnlyStream(target);

            var result = await new BundleWriter(sample.Store).WriteAsync(
                new BundleRequest(Bundles.YearStart, Bundles.MidYear, await sample.AnalyzeAsync(), "0.1.0"), forwardOnly);

            Assert.Equal(5, result.ItemCount);
            var verified = await new Aims.Reporting.Verification.BundleVerifier().VerifyAsync(new MemoryStream(target.ToArray()));
            Assert.True(verified.IsIntact, string.Join("\n", verified.Findings));
        }

        [Fact]
        public async Task Leaves_no_file_behind_when_the_build_fails()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();
            File.Delete(sample.ItemFile("impact"));
            var target = sample.Folder.Combine("out", "bundle.zip");

            await Assert.ThrowsAsync<InvalidDataException>(() => new BundleWriter(sample.Store).WriteFileAsync(new BundleRequest(Bundles.YearStart, Bundles.MidYear, report, "0.1.0"), target));

            Assert.Empty(Directory.GetFiles(sample.Folder.Combine("out")));
        }

        [Fact]
        public async Task Writes_a_file_that_verifies()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var target = sample.Folder.Combine("out", "bundle.zip");

            var result = await new BundleWriter(sample.Store).WriteFileAsync(new BundleRequest(Bundles.YearStart, Bundles.MidYear, await sample.AnalyzeAsync(), "0.1.0"), target);

            Assert.Equal(5, result.ItemCount);
            Assert.Equal([target], Directory.GetFiles(sample.Folder.Combine("out")));
            Assert.True((await new Aims.Reporting.Verification.BundleVerifier().VerifyAsync(target)).IsIntact);
        }

        private static List<string> ItemPaths(SampleEvidence sample, params string[] names) =>
            names.Select(n => $"evidence/items/{sample.Ids[n]}.json").Order(StringComparer.Ordinal).ToList();

        private static List<string> ItemPathsIn(byte[] zip) =>
            Bundles.Names(zip).Where(n => n.StartsWith("evidence/items/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        private static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }

        [GeneratedRegex("^(?<sha>[0-9a-f]{64})  (?<path>[^ ].*)$")]
        private static partial Regex SumsLine();

        [GeneratedRegex(": OK$", RegexOptions.Multiline)]
        private static partial Regex OkLine();
    }
}
