using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Bench.Bundles;

/// <summary>
/// Writes a folder store's layout directly (items, raw payloads, one ledger segment), as the store would have written
/// it, without paying the store's per-item locking: the benchmark measures bundles, not writes.
/// </summary>
internal static class Seeder
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    public static async Task SeedAsync(string store, int items, int payloadBytes)
    {
        Directory.CreateDirectory(Path.Combine(store, "ledger"));
        await using var ledger = new StreamWriter(Path.Combine(store, "ledger", "local.jsonl"));
        var previous = LedgerEntry.GenesisHash;
        var payload = new byte[payloadBytes];
        for (var i = 0; i < items; i++)
        {
            string? raw = null;
            if (payloadBytes > 0)
            {
                RandomNumberGenerator.Fill(payload);
                raw = Convert.ToHexStringLower(SHA256.HashData(payload));
                await WriteAsync(Path.Combine(store, "raw", raw[..2], raw), payload);
            }

            var item = Item(i, raw);
            await WriteAsync(Path.Combine(store, "items", item.Id[..2], item.Id + ".json"), EvidenceItemJson.ToBytes(item));
            var entry = LedgerEntry.Create(item, "local", i + 1, previous, item.ObservedAt);
            previous = entry.Hash;
            await ledger.WriteAsync(entry.ToLine() + "\n");
        }
    }

    private static EvidenceItem Item(int i, string? raw)
    {
        var subject = new Subject("document", $"governance/doc-{i:D6}.md", $"Document {i}", ["fraud-model"]);
        var observed = Start.AddSeconds(i);
        return EvidenceItemJson.Seal(new EvidenceItem
        {
            Id = ItemIds.For("run-bench", $"job-{i % 16:D2}", subject, "document"),
            Kind = "document",
            Controls = ["A.2.2", "A.6.2.6"],
            Subject = subject,
            Source = new EvidenceSource("documents", "./governance", $"governance/doc-{i:D6}.md", "documents", "1.0.0"),
            RunId = "run-bench",
            JobId = $"job-{i % 16:D2}",
            ObservedAt = observed,
            EvidenceDate = observed.AddDays(-3),
            Summary = $"Document {i}: approved by the governance board.",
            Facts = new JsonObject
            {
                ["documentType"] = "ai-policy",
                ["title"] = $"Document {i}",
                ["approvedBy"] = "governance-board",
                ["approvedOn"] = observed.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["notes"] = new string('x', 400),
            },
            RawSha256 = raw,
            RawMediaType = raw is null ? null : "application/octet-stream",
        });
    }

    private static async Task WriteAsync(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
    }
}
