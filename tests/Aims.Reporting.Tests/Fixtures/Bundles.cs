using System.IO.Compression;
using Aims.Evidence.Gaps;
using Aims.Reporting.Bundle;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Reporting.Tests.Fixtures;

/// <summary>Builds bundles from a sample store and opens or changes them as an auditor (or an attacker) would.</summary>
public static class Bundles
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 6, 15, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset YearStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset MidYear = new(2026, 6, 30, 23, 59, 59, TimeSpan.Zero);

    public static async Task<(byte[] Zip, BundleResult Result)> WriteAsync(
        SampleEvidence sample,
        GapReport report,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        string[]? controls = null,
        string? aiSystem = null,
        IProgress<BundleProgress>? progress = null)
    {
        var writer = new BundleWriter(sample.Store, new FakeTimeProvider(CreatedAt));
        using var output = new MemoryStream();
        var result = await writer.WriteAsync(new BundleRequest(from ?? YearStart, to ?? MidYear, report, "0.1.0-test", controls, aiSystem), output, progress);
        return (output.ToArray(), result);
    }

    public static Dictionary<string, byte[]> Files(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var content = entry.Open();
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            files.Add(entry.FullName, buffer.ToArray());
        }

        return files;
    }

    public static List<string> Names(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>A copy of <paramref name="zip"/> changed in place by <paramref name="change"/> (entries added, replaced, deleted).</summary>
    public static byte[] Change(byte[] zip, Action<ZipArchive> change)
    {
        using var buffer = new MemoryStream();
        buffer.Write(zip);
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            change(archive);
        }

        return buffer.ToArray();
    }

    /// <summary>Replaces the content of one entry.</summary>
    public static void Replace(ZipArchive archive, string path, byte[] content)
    {
        archive.GetEntry(path)!.Delete();
        using var stream = archive.CreateEntry(path).Open();
        stream.Write(content);
    }

    /// <summary>
    /// What an attacker who can rewrite the zip does after changing it: list every entry in manifest.json (files and item
    /// count) and SHA256SUMS again, so both agree with the changed content.
    /// </summary>
    public static void Relist(ZipArchive archive)
    {
        static byte[] Read(ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        var manifest = System.Text.Json.Nodes.JsonNode.Parse(Read(archive.GetEntry("manifest.json")!))!.AsObject();
        var files = new System.Text.Json.Nodes.JsonArray();
        var sums = new System.Text.StringBuilder();
        foreach (var entry in archive.Entries.Where(e => e.FullName is not ("manifest.json" or "SHA256SUMS")).ToList())
        {
            var bytes = Read(entry);
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            files.Add(new System.Text.Json.Nodes.JsonObject { ["path"] = entry.FullName, ["size"] = bytes.Length, ["sha256"] = hash });
            sums.Append(hash).Append("  ").Append(entry.FullName).Append('\n');
        }

        manifest["files"] = files;
        var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        Replace(archive, "manifest.json", manifestBytes);
        sums.Append(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifestBytes))).Append("  manifest.json\n");
        Replace(archive, "SHA256SUMS", System.Text.Encoding.UTF8.GetBytes(sums.ToString()));
    }

    public static void Add(ZipArchive archive, string path, byte[] content)
    {
        using var stream = archive.CreateEntry(path).Open();
        stream.Write(content);
    }

    public static void ExtractTo(byte[] zip, string folder)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        archive.ExtractToDirectory(folder);
    }
}
