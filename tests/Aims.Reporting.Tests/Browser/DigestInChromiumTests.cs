using System.Globalization;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Aims.Reporting.Tests.Browser;

public sealed class DigestInChromiumTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Html_digest_renders_offline_with_headings_counts_and_no_serious_accessibility_violations()
    {
        // Given the HTML digest of the sample, served from 127.0.0.1
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var folder = sample.Folder.Combine("site");
        await DigestWriter.WriteFilesAsync(report, folder);
        await using var server = await OfflinePage.ServeFolderAsync(folder);
        await using var offline = await OfflinePage.OpenAsync(chromium.Browser);
        var page = offline.Page;

        // When Chromium loads it
        var response = await page.GotoAsync(new Uri(server.BaseUri, "digest.html").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // Then it shows the title, every section and the counts
        Assert.Equal(200, response!.Status);
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "Evidence-gap digest: Contoso Ltd", Level = 1 }).IsVisibleAsync());
        foreach (var section in new[] { "Summary", "Sources", "Collector problems", "By owner", "By control", "Requirements and their subjects", "By AI system" })
        {
            Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = section, Level = 2, Exact = true }).IsVisibleAsync(), $"heading '{section}' is not visible");
        }

        var rows = await page.Locator("section[aria-labelledby=summary] tbody tr").AllAsync();
        var shown = new Dictionary<string, (string Controls, string Requirements)>();
        foreach (var row in rows)
        {
            Assert.True(await row.IsVisibleAsync());
            var cells = await row.Locator("td").AllInnerTextsAsync();
            shown[(await row.Locator("th").InnerTextAsync()).Trim()] = (cells[0], cells[1]);
        }

        Assert.Equal(8, shown.Count);
        foreach (var status in Enum.GetValues<GapStatus>())
        {
            Assert.Equal(report.ControlCounts[status].ToString(CultureInfo.InvariantCulture), shown[status.ToName()].Controls);
            Assert.Equal(report.RequirementCounts[status].ToString(CultureInfo.InvariantCulture), shown[status.ToName()].Requirements);
        }

        Assert.Equal(report.Controls.Count.ToString(CultureInfo.InvariantCulture), shown["total"].Controls);

        Assert.True(await page.GetByText("not configured").First.IsVisibleAsync());
        Assert.True(await page.GetByText(SampleEvidence.ScriptTitle).First.IsVisibleAsync());

        // and it asked nothing of any other host, ran no script, and has no serious accessibility violation
        Assert.Empty(offline.Blocked);
        Assert.All(offline.Requests, url => Assert.StartsWith(server.BaseUri.ToString(), url, StringComparison.Ordinal));
        Assert.Empty(offline.Dialogs);
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        Assert.NotEmpty(axe.Passes);
    }

    [Fact]
    public async Task Bundle_index_renders_offline_links_its_evidence_and_has_no_serious_accessibility_violations()
    {
        // Given an extracted bundle served from 127.0.0.1
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());
        var folder = sample.Folder.Combine("bundle");
        Bundles.ExtractTo(zip, folder);
        await using var server = await OfflinePage.ServeFolderAsync(folder);
        await using var offline = await OfflinePage.OpenAsync(chromium.Browser);
        var page = offline.Page;

        // When Chromium opens index.html and follows the link to one evidence file
        await page.GotoAsync(new Uri(server.BaseUri, "index.html").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "Evidence bundle: Contoso Ltd", Level = 1 }).IsVisibleAsync());
        var axe = await page.RunAxe();
        var link = page.Locator($"a[href='evidence/items/{sample.Ids["policy"]}.json']").First;
        var target = await link.GetAttributeAsync("href");
        var evidence = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), target).ToString());

        // Then the link resolves inside the bundle, nothing left 127.0.0.1, and axe finds nothing serious
        Assert.Equal(200, evidence.Status);
        Assert.Contains(sample.Ids["policy"], await evidence.TextAsync(), StringComparison.Ordinal);
        Assert.Empty(offline.Blocked);
        Assert.Empty(offline.Dialogs);
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id} ({v.Impact}): {v.Help}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }
}
