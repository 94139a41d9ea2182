using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Aims.Reporting.IO;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;

namespace Aims.Reporting.Tests.Bundle;

/// <summary>
/// The bundle's own zip writer and reader: what they write must open in the tools an auditor has (unzip, Python's
/// zipfile, .NET's ZipArchive), zip64 included, and what they read when a zip is damaged must be a finding, not a crash.
/// </summary>
public sealed class ZipWriterReaderTests : IDisposable
{
    private static readonly DateTimeOffset Modified = new(2026, 6, 15, 9, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("aims-zip-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task More_than_65535_entries_make_a_zip64_archive_that_unzip_python_and_both_readers_accept()
    {
        // Given 70,000 tiny entries, stored and deflated in turn
        const int count = 70_000;
        var path = Path.Combine(_folder, "many.zip");
        await using (var file = new FileStream(path, FileMode.CreateNew))
        using (var zip = new ZipWriter(file, Modified))
        {
            for (var i = 0; i < count; i++)
            {
                var content = Encoding.UTF8.GetBytes($"entry {i}\n");
                await zip.WriteEntryAsync($"e/{i:D5}.txt", deflate: i % 2 == 0, (s, ct) => s.WriteAsync(content, ct).AsTask());
            }

            await zip.FinishAsync();
        }

        // When it is listed and tested by every reader at hand
        // Then the entry count needed the zip64 end records, and each reader finds every entry intact
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(IndexOf(bytes, [0x50, 0x4b, 0x06, 0x06]) > 0, "a zip64 end-of-central-directory record");
        Assert.Equal(0, Run("unzip", $"-tqq \"{path}\"").Exit);
        var python = Run("python3", $"-c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert len(z.namelist())=={count}; assert z.testzip() is None; assert z.read('e/69999.txt')==b'entry 69999\\n'\" \"{path}\"");
        Assert.True(python.Exit == 0, python.Output);
        using (var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
        {
            Assert.Equal(count, archive.Entries.Count);
        }

        await using var read = new FileStream(path, FileMode.Open, FileAccess.Read);
        var reader = ZipReader.Open(read);
        Assert.Equal(count, reader.EntryCount);
        var seen = 0;
        foreach (var entry in reader.Entries())
        {
            using var content = reader.Open(entry);
            Assert.Equal($"entry {seen}\n", Encoding.UTF8.GetString(content.ReadAll()));
            seen++;
        }

        Assert.Equal(count, seen);
    }

    [Fact]
    public async Task An_entry_larger_than_what_is_held_is_streamed_and_reads_back_with_the_hash_written()
    {
        // Given a 3 MiB incompressible entry stored and a 3 MiB text entry deflated, each written in small pieces
        var random = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 200_000).Select(i => $"line {i}\n")));
        var path = Path.Combine(_folder, "large.zip");
        ZipEntryWritten stored, deflated;
        await using (var file = new FileStream(path, FileMode.CreateNew))
        using (var zip = new ZipWriter(file, Modified))
        {
            stored = await zip.WriteEntryAsync("raw.bin", deflate: false, (s, ct) => WriteInPiecesAsync(s, random, ct));
            deflated = await zip.WriteEntryAsync("text.txt", deflate: true, (s, ct) => WriteInPiecesAsync(s, text, ct));
            await zip.FinishAsync();
        }

        // When it is tested with unzip and read back
        // Then the contents and hashes are those written
        Assert.Equal(SHA256.HashData(random), stored.Sha256);
        Assert.Equal(SHA256.HashData(text), deflated.Sha256);
        Assert.Equal(0, Run("unzip", $"-tqq \"{path}\"").Exit);
        await using var read = new FileStream(path, FileMode.Open, FileAccess.Read);
        var reader = ZipReader.Open(read);
        var entries = reader.Entries().ToList();
        using (var content = reader.Open(entries[0]))
        {
            Assert.Equal(random, content.ReadAll());
            Assert.Equal(stored.Sha256, content.Sha256());
        }

        using (var content = reader.Open(entries[1]))
        {
            Assert.Equal(text, content.ReadAll());
        }
    }

    [Fact]
    public async Task A_zip_cut_short_is_a_finding_not_a_crash()
    {
        // Given a bundle whose last kilobyte (the end of its central directory) is cut off
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var truncated = zip.AsSpan(0, zip.Length - 1024).ToArray();

        // When it is verified
        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(truncated), "bundle.zip");

        // Then the bundle itself is named unreadable
        Assert.False(result.IsIntact);
        Assert.Contains(result.Findings, f => f.Name == "bundle.zip" && f.Kind == FindingKind.Unreadable);
    }

    [Fact]
    public async Task A_garbled_central_directory_is_a_finding_not_a_crash()
    {
        // Given a bundle with one central-directory record's signature overwritten
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var start = CentralDirectoryStart(zip);
        var third = IndexOf(zip, [0x50, 0x4b, 0x01, 0x02], start + 1);
        third = IndexOf(zip, [0x50, 0x4b, 0x01, 0x02], third + 1);
        zip[third + 2] = 0x7f;

        // When it is verified
        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(zip), "bundle.zip");

        // Then it is named unreadable with what is wrong
        Assert.Contains(result.Findings, f => f.Name == "bundle.zip" && f.Kind == FindingKind.Unreadable && f.Problem.Contains("garbled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_entry_whose_local_header_names_another_file_is_unreadable()
    {
        // Given a bundle where controls.csv's local header (what a streaming extractor reads) says controlz.csv
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var local = IndexOf(zip, "controls.csv"u8.ToArray());
        Assert.True(local < CentralDirectoryStart(zip));
        zip[local + "control".Length] = (byte)'z';

        // When it is verified
        var result = await new BundleVerifier().VerifyAsync(new MemoryStream(zip), "bundle.zip");

        // Then the entry is unreadable because the zip's two lists disagree
        Assert.Contains(result.Findings, f => f.Name == "controls.csv" && f.Kind == FindingKind.Unreadable && f.Problem.Contains("local header", StringComparison.Ordinal));
    }

    private static async Task WriteInPiecesAsync(Stream stream, byte[] content, CancellationToken cancellationToken)
    {
        for (var at = 0; at < content.Length; at += 10_000)
        {
            await stream.WriteAsync(content.AsMemory(at, Math.Min(10_000, content.Length - at)), cancellationToken);
        }
    }

    private static int CentralDirectoryStart(byte[] zip)
    {
        var end = zip.AsSpan().LastIndexOf(new byte[] { 0x50, 0x4b, 0x05, 0x06 });
        return (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));
    }

    private static int IndexOf(byte[] bytes, byte[] value, int from = 0)
    {
        var at = bytes.AsSpan(from).IndexOf(value);
        return at < 0 ? -1 : from + at;
    }

    private static (int Exit, string Output) Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
