using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Aims.Storage;
using Aims.Testing;

namespace Aims.Evidence.Tests;

public sealed class EvidenceRecorderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FolderEvidenceStore _store;

    public EvidenceRecorderTests() => _store = new FolderEvidenceStore(_dir.Combine("store"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Large_text_without_secrets_is_stored_byte_for_byte()
    {
        // CRLF line ends, an invalid UTF-8 byte and no final newline: all must survive, over several redaction blocks.
        var bytes = LargeText(9 * 1024 * 1024, "line with CRLF and nothing secret\r\n", tail: [0x61, 0xFF, 0x62]);

        var raw = await Recorder().PutRawStreamAsync(new MemoryStream(bytes), "text/plain");

        Assert.False(raw.Redacted);
        Assert.Equal(Sha(bytes), raw.Sha256);
        Assert.Equal(raw.OriginalSha256, raw.Sha256);
        Assert.Equal(bytes.LongLength, raw.Length);
        Assert.Equal(bytes, await ReadRawAsync(raw.Sha256));
    }

    [Fact]
    public async Task Redacted_text_records_both_hashes_and_keeps_line_endings()
    {
        var bytes = Encoding.UTF8.GetBytes("a\r\ntoken ghp_0123456789abcdefghijABCDEFGHIJ0123456789\r\nb");

        var raw = await Recorder().PutRawStreamAsync(new MemoryStream(bytes), "text/plain");

        Assert.True(raw.Redacted);
        Assert.Equal(Sha(bytes), raw.OriginalSha256);
        Assert.NotEqual(raw.OriginalSha256, raw.Sha256);
        Assert.Equal("a\r\ntoken [REDACTED]\r\nb", Encoding.UTF8.GetString(await ReadRawAsync(raw.Sha256)));
    }

    [Fact]
    public async Task A_private_key_spanning_the_redaction_block_boundary_is_masked_on_both_sides()
    {
        var filler = new StringBuilder();
        while (filler.Length < StreamRedactionBlock - 40)
        {
            filler.Append("filler text of a large runbook\n");
        }

        var keyBody = string.Concat(Enumerable.Repeat("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n", 40));
        var text = filler + "-----BEGIN RSA PRIVATE KEY-----\n" + keyBody + "-----END RSA PRIVATE KEY-----\nafter the key\n";
        Assert.True(text.IndexOf("-----END", StringComparison.Ordinal) > StreamRedactionBlock, "the key must cross the block boundary");

        var raw = await Recorder().PutRawStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "text/markdown");

        var stored = Encoding.UTF8.GetString(await ReadRawAsync(raw.Sha256));
        Assert.DoesNotContain("MIIEowIBAAKCAQEA", stored);
        Assert.DoesNotContain("PRIVATE KEY", stored);
        Assert.EndsWith("after the key\n", stored);
    }

    [Fact]
    public async Task Secrets_in_a_subject_display_name_are_redacted()
    {
        var job = new CollectionJob("run-1", "job-1", "Documents", new EvidencePeriod(Now.AddDays(-1), Now), new Dictionary<string, string>());
        await Recorder(job).EmitAsync(new EvidenceDraft
        {
            Kind = EvidenceKinds.Document,
            Subject = new Subject("document", "deploy.md", "Deploy with ghp_0123456789abcdefghijABCDEFGHIJ0123456789"),
            Locator = "deploy.md",
            Summary = "doc",
            Facts = [],
        });

        var item = await SingleItemAsync();
        Assert.DoesNotContain("ghp_", item.Subject.DisplayName);
        Assert.Contains(SecretRedactor.Mask, item.Subject.DisplayName);
    }

    [Fact]
    public async Task A_batching_recorder_writes_each_full_batch_and_the_rest_when_flushed()
    {
        // Given a recorder that hands the store batches of three
        var job = new CollectionJob("run-1", "job-1", "Documents", new EvidencePeriod(Now.AddDays(-1), Now), new Dictionary<string, string>());
        var recorder = new EvidenceRecorder(_store, job, new CollectorIdentity("documents", "docs", "documents", "test"), RequirementSet.LoadDefaults(), TimeProvider.System, batchSize: 3);
        EvidenceDraft Draft(string name) => new() { Kind = EvidenceKinds.Document, Subject = new Subject("document", name, name), Locator = name, Summary = "doc", Facts = [] };

        // When four documents are emitted (one of them twice), the store holds the first batch only
        var outcomes = new List<Store.WriteOutcome>();
        foreach (var name in new[] { "a.md", "b.md", "a.md", "c.md" })
        {
            outcomes.Add(await recorder.EmitAsync(Draft(name)));
        }

        var beforeFlush = await CountItemsAsync();
        await recorder.FlushAsync();

        // Then emits said "deferred", the full batch was written at once, and the flush wrote the rest
        Assert.All(outcomes, o => Assert.Equal(Store.WriteOutcome.Deferred, o));
        Assert.Equal(2, beforeFlush);
        Assert.Equal(3, await CountItemsAsync());
        Assert.Equal(3, recorder.Created);
        Assert.Equal(1, recorder.AlreadyStored);
        var ledger = new List<Store.LedgerEntry>();
        await foreach (var entry in _store.ReadLedgerAsync())
        {
            ledger.Add(entry);
        }

        Assert.Equal(3, ledger.Select(e => e.ItemId).Distinct().Count());
        Assert.Equal(3, ledger.Count);
    }

    private async Task<int> CountItemsAsync()
    {
        var count = 0;
        await foreach (var _ in _store.ListItemIdsAsync())
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task A_collector_error_stands_only_for_the_controls_it_attempted()
    {
        var facts = new JsonObject { ["controls"] = new JsonArray("9.2") };

        await Recorder().ReportErrorAsync(new Subject("document", "bad.md", "bad.md"), EvidenceKinds.Document, "bad.md", "malformed metadata", facts);

        Assert.Equal(["9.2"], (await SingleItemAsync()).Controls);
    }

    [Fact]
    public async Task A_document_error_of_unknown_type_is_not_filed_under_every_document_control()
    {
        await Recorder().ReportErrorAsync(new Subject("document", "bad.md", "bad.md"), EvidenceKinds.Document, "bad.md", "malformed metadata");

        var item = await SingleItemAsync();
        Assert.True(item.Controls.Count < 5, $"filed under {item.Controls.Count} controls: {string.Join(", ", item.Controls)}");
    }

    [Fact]
    public async Task A_document_error_of_known_type_stands_for_that_type_s_controls()
    {
        var facts = new JsonObject { ["documentType"] = "ai-policy" };

        await Recorder().ReportErrorAsync(new Subject("document", "bad.md", "bad.md"), EvidenceKinds.Document, "bad.md", "malformed metadata", facts);

        var expected = RequirementSet.LoadDefaults().Requirements
            .Where(r => r.Kind == EvidenceKinds.Document && r.Scope.Facts.GetValueOrDefault("documentType") == "ai-policy")
            .SelectMany(r => r.Controls).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, (await SingleItemAsync()).Controls);
    }

    [Fact]
    public async Task A_source_level_error_stands_for_every_requirement_of_the_kind()
    {
        await Recorder().ReportErrorAsync(new Subject("source", "documents", "docs"), EvidenceKinds.Document, "docs", "folder vanished");

        var expected = RequirementSet.LoadDefaults().Requirements.Where(r => r.Kind == EvidenceKinds.Document).SelectMany(r => r.Controls).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, (await SingleItemAsync()).Controls);
    }

    [Fact]
    public async Task A_clean_payload_gets_a_verdict_and_the_next_run_stores_the_same_raw()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"protection\":{\"required_pull_request_reviews\":{\"required_approving_review_count\":2}}}");

        var first = await Recorder().PutRawAsync(bytes, "application/json");
        var verdicts = new RedactionVerdicts(_store);
        var recorded = await verdicts.IsCleanAsync(Sha(bytes));
        var second = await Recorder(NextRun()).PutRawAsync(bytes, "application/json");

        Assert.True(recorded);
        Assert.Equal(Sha(bytes), first.Sha256);
        Assert.Equal(WriteOutcome.Created, first.Stored.Outcome);
        Assert.Equal(new RawPayload(new RawRef(Sha(bytes), bytes.Length, WriteOutcome.AlreadyExists), Sha(bytes), bytes.Length, 0), second);
        Assert.Equal(bytes, await ReadRawAsync(second.Sha256));
    }

    [Fact]
    public async Task A_payload_that_needed_masking_gets_no_verdict_and_is_masked_on_every_run()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"note\":\"token ghp_0123456789abcdefghijABCDEFGHIJ0123456789\"}");

        var first = await Recorder().PutRawAsync(bytes, "application/json");
        var second = await Recorder(NextRun()).PutRawAsync(bytes, "application/json");

        Assert.False(await new RedactionVerdicts(_store).IsCleanAsync(Sha(bytes)));
        Assert.All(new[] { first, second }, raw => Assert.Equal(1, raw.Redactions));
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.DoesNotContain("ghp_", Encoding.UTF8.GetString(await ReadRawAsync(second.Sha256)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verdict_reached_under_other_redaction_rules_is_not_trusted()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"note\":\"token ghp_0123456789abcdefghijABCDEFGHIJ0123456789\"}");
        var ours = RedactionVerdicts.ReportName(Sha(bytes));
        var otherRules = ours.Replace(SecretRedactor.Fingerprint, new string('0', SecretRedactor.Fingerprint.Length), StringComparison.Ordinal);
        await _store.PutReportAsync(otherRules, new MemoryStream("clean\n"u8.ToArray()));

        var raw = await Recorder().PutRawAsync(bytes, "application/json");

        Assert.NotEqual(ours, otherRules);
        Assert.True(raw.Redacted);
        Assert.DoesNotContain("ghp_", Encoding.UTF8.GetString(await ReadRawAsync(raw.Sha256)), StringComparison.Ordinal);
    }

    private static CollectionJob NextRun() =>
        new("run-2", "job-1", "Documents", new EvidencePeriod(Now, Now.AddDays(1)), new Dictionary<string, string>());

    private static int StreamRedactionBlock => 1024 * 1024;

    private static byte[] LargeText(int size, string line, byte[] tail)
    {
        var one = Encoding.UTF8.GetBytes(line);
        using var buffer = new MemoryStream();
        while (buffer.Length < size)
        {
            buffer.Write(one);
        }

        buffer.Write(tail);
        return buffer.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> ReadRawAsync(string sha)
    {
        await using var stream = await _store.OpenRawAsync(sha);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<EvidenceItem> SingleItemAsync()
    {
        var ids = new List<string>();
        await foreach (var id in _store.ListItemIdsAsync())
        {
            ids.Add(id);
        }

        return (await _store.GetItemAsync(Assert.Single(ids)))!;
    }

    private EvidenceRecorder Recorder(CollectionJob? job = null) =>
        new(_store, job ?? new CollectionJob("run-1", "job-1", "Documents", new EvidencePeriod(Now.AddDays(-1), Now), new Dictionary<string, string>()),
            new CollectorIdentity("documents", "docs", "documents", "test"), RequirementSet.LoadDefaults(), TimeProvider.System);
}
