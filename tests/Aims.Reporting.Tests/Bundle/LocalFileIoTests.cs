using Aims.Reporting.IO;

namespace Aims.Reporting.Tests.Bundle;

/// <summary>
/// Local files are read and written inline (no thread-pool hop per call), which a bundle of many small files depends on
/// for its speed; the bytes must be exactly those of the file, and the size bound must still hold.
/// </summary>
public sealed class LocalFileIoTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aims-local-io-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Inline_file_writes_and_reads_complete_on_the_calling_thread_with_the_bytes_written()
    {
        var path = Path.Combine(_folder, "out.bin");
        var content = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

        await using (var file = InlineFileStream.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096))
        {
            var write = file.WriteAsync(content.AsMemory());
            Assert.True(write.IsCompletedSuccessfully);
            await write;
            Assert.True(file.FlushAsync().IsCompletedSuccessfully);
        }

        await using var read = InlineFileStream.Open(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var back = new byte[content.Length];
        var total = 0;
        while (total < back.Length)
        {
            var pending = read.ReadAsync(back.AsMemory(total));
            Assert.True(pending.IsCompletedSuccessfully);
            total += await pending;
        }

        Assert.Equal(content, back);
    }

    [Fact]
    public async Task A_stored_file_is_read_whole_and_one_over_the_bound_is_refused()
    {
        var path = Path.Combine(_folder, "item.json");
        var content = "{\"id\":\"é\"}"u8.ToArray();
        await File.WriteAllBytesAsync(path, content);

        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            Assert.Equal(content, await BoundedRead.ReadAsync(file, content.Length, CancellationToken.None));
        }

        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            Assert.Null(await BoundedRead.ReadAsync(file, content.Length - 1, CancellationToken.None));
        }
    }
}
