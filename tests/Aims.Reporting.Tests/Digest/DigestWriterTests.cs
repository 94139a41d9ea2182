using System.Text;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed class DigestWriterTests
{
    public sealed class PublishAsync
    {
        [Fact]
        public async Task Stores_json_markdown_and_html_as_reports()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            var names = await DigestWriter.PublishAsync(report, sample.Store, "digests/2026-06-15");

            Assert.Equal(["digests/2026-06-15.json", "digests/2026-06-15.md", "digests/2026-06-15.html"], names);
            Assert.StartsWith("{", await ReadReportAsync(sample, names[0]), StringComparison.Ordinal);
            Assert.StartsWith("# Evidence-gap digest: Contoso Ltd", await ReadReportAsync(sample, names[1]), StringComparison.Ordinal);
            Assert.StartsWith("<!DOCTYPE html>", await ReadReportAsync(sample, names[2]), StringComparison.Ordinal);
        }

        private static async Task<string> ReadReportAsync(SampleEvidence sample, string name)
        {
            await using var stream = await sample.Store.OpenReportAsync(name);
            Assert.NotNull(stream);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }

    public sealed class WriteFilesAsync
    {
        [Fact]
        public async Task Writes_one_file_per_format_with_the_same_content_as_the_stream_writers()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            var paths = await DigestWriter.WriteFilesAsync(report, sample.Folder.Combine("out"), "weekly");

            Assert.Equal(["weekly.json", "weekly.md", "weekly.html"], paths.Select(Path.GetFileName));
            Assert.Equal(await Render.DigestAsync(report, DigestFormat.Markdown), await File.ReadAllTextAsync(paths[1]));
        }
    }

    public sealed class Parse
    {
        [Theory]
        [InlineData("json", DigestFormat.Json)]
        [InlineData("MD", DigestFormat.Markdown)]
        [InlineData("markdown", DigestFormat.Markdown)]
        [InlineData(" html ", DigestFormat.Html)]
        public void Reads_format_names(string name, DigestFormat expected) => Assert.Equal(expected, DigestFormats.Parse(name));

        [Fact]
        public void Names_an_unknown_format()
        {
            var error = Assert.Throws<FormatException>(() => DigestFormats.Parse("pdf"));
            Assert.Contains("'pdf'", error.Message, StringComparison.Ordinal);
        }
    }
}
