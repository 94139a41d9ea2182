using System.Text.RegularExpressions;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed partial class HtmlDigestWriterTests
{
    public sealed partial class WriteAsync
    {
        [Fact]
        public async Task Escapes_markup_in_a_document_title()
        {
            // Given a document whose title carries a script tag
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            // When the digest is rendered as HTML
            var html = await Render.DigestAsync(report, DigestFormat.Html);

            // Then the title shows as text and no script element exists
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
            Assert.Contains("Fraud | model impact assessment", html, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Is_self_contained_with_no_external_assets()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var html = await Render.DigestAsync(await sample.AnalyzeAsync(), DigestFormat.Html);

            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
            Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
            Assert.Contains("<style>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(ExternalReference(), html);
        }

        [Fact]
        public async Task Gives_every_table_header_a_scope_and_every_status_a_word()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var html = await Render.DigestAsync(await sample.AnalyzeAsync(), DigestFormat.Html);

            Assert.DoesNotMatch(HeaderWithoutScope(), html);
            foreach (Match badge in StatusBadge().Matches(html))
            {
                Assert.Equal(badge.Groups["class"].Value, badge.Groups["text"].Value);
            }

            Assert.True(StatusBadge().Matches(html).Count > 40);
        }

        [Fact]
        public async Task Shows_dates_counts_sources_and_problems()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            var html = await Render.DigestAsync(report, DigestFormat.Html);

            Assert.Contains("<h1>Evidence-gap digest: Contoso Ltd</h1>", html, StringComparison.Ordinal);
            Assert.Contains("2026-06-15", html, StringComparison.Ordinal);
            Assert.Contains("2026-09-01 (in 78 days)", html, StringComparison.Ordinal);
            Assert.Contains("<strong>not configured</strong>", html, StringComparison.Ordinal);
            Assert.Contains("GitHub answered 403 Forbidden", html, StringComparison.Ordinal);
            var missingRow = SummaryRow("missing").Match(html);
            Assert.True(missingRow.Success);
            Assert.Equal(report.ControlCounts[Evidence.Gaps.GapStatus.Missing].ToString(System.Globalization.CultureInfo.InvariantCulture), missingRow.Groups["controls"].Value);
        }

        [Fact]
        public async Task Names_the_ai_system_filter_in_the_title()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync(aiSystem: "fraud-model");

            var html = await Render.DigestAsync(report, DigestFormat.Html);

            Assert.Contains("<title>Evidence-gap digest: Contoso Ltd, AI system fraud-model</title>", html, StringComparison.Ordinal);
            Assert.Contains("<h1>Evidence-gap digest: Contoso Ltd, AI system fraud-model</h1>", html, StringComparison.Ordinal);
        }

        [GeneratedRegex("""(?:src|href)\s*=\s*["']?(?:https?:)?//""", RegexOptions.IgnoreCase)]
        private static partial Regex ExternalReference();

        [GeneratedRegex("""<th(?=[\s>])(?![^>]*\bscope=)[^>]*>""")]
        private static partial Regex HeaderWithoutScope();

        [GeneratedRegex("""<span class="status s-(?<class>[a-z-]+)">(?<text>[^<]*)</span>""")]
        private static partial Regex StatusBadge();

        private static Regex SummaryRow(string status) =>
            new($"""<tr><th scope="row"><span class="status s-{status}">{status}</span></th><td class="num">(?<controls>\d+)</td><td class="num">(?<requirements>\d+)</td></tr>""");
    }
}
