using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed class MarkdownDigestWriterTests
{
    public sealed class WriteAsync
    {
        [Fact]
        public async Task Keeps_every_table_row_as_wide_as_its_header()
        {
            // Given a subject whose title holds a pipe and markup
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            // When rendered as Markdown
            var markdown = await Render.DigestAsync(report, DigestFormat.Markdown);

            // Then each row of each table has as many cell separators as the header row
            var lines = markdown.Split('\n');
            var tables = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("| ", StringComparison.Ordinal) || i + 1 >= lines.Length || !lines[i + 1].StartsWith("| ---", StringComparison.Ordinal))
                {
                    continue;
                }

                tables++;
                var width = Separators(lines[i]);
                for (var j = i + 1; j < lines.Length && lines[j].StartsWith('|'); j++)
                {
                    Assert.True(Separators(lines[j]) == width, $"Row '{lines[j]}' does not match header '{lines[i]}'.");
                }
            }

            Assert.True(tables > 5);
            Assert.Contains(@"Fraud \| model impact assessment", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", markdown, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", markdown, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Groups_requirements_by_owner_most_urgent_owner_first()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();
            var view = new DigestView(report);

            var markdown = await Render.DigestAsync(report, DigestFormat.Markdown);

            var positions = view.Owners.Select(o => markdown.IndexOf($"\n### {MarkdownDigestWriter.Escape(o.Owner)} ({o.Status.ToName()})\n", StringComparison.Ordinal)).ToList();
            Assert.All(positions, p => Assert.True(p > 0));
            Assert.Equal(positions.Order(), positions);
            Assert.Contains("| Entra | entra | **not configured** |", markdown, StringComparison.Ordinal);
            Assert.Contains("- Next audit: 2026-09-01 (in 78 days)", markdown, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("a|b", @"a\|b")]
        [InlineData("line\nbreak", "line break")]
        [InlineData("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;")]
        [InlineData("[link](http://x)", @"\[link\](http://x)")]
        [InlineData("plain text", "plain text")]
        public void Escape_makes_text_inert_in_a_table_cell(string text, string expected) =>
            Assert.Equal(expected, MarkdownDigestWriter.Escape(text));

        private static int Separators(string row)
        {
            var count = 0;
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] == '\\')
                {
                    i++;
                }
                else if (row[i] == '|')
                {
                    count++;
                }
            }

            return count;
        }
    }
}
