using System.Globalization;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;
using Microsoft.Playwright;

namespace Aims.Reporting.Tests.Browser;

public sealed class DigestInChromiumTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task First_screen_at_1400x900_shows_the_audit_date_the_readiness_and_the_first_three_actions()
    {
        // Given the HTML digest of the sample, served from 127.0.0.1, in a 1400x900 window
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var view = new DigestView(report);
        await using var served = await ServeDigestAsync(sample, report);
        var page = served.Page.Page;

        // When Chromium loads it
        var response = await page.GotoAsync(served.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.Equal(200, response!.Status);
        await PageChecks.ScreenshotAsync(page, "digest-first-screen");

        // Then, without scrolling, it names the next audit, the readiness figure and the first three actions in due order
        var nextAudit = page.Locator("#next-audit");
        Assert.Equal("2026-09-01 (in 78 days)", (await nextAudit.InnerTextAsync()).Trim());
        Assert.True(await PageChecks.OnFirstScreenAsync(page, nextAudit), "the next audit is below the first screen");
        var readiness = page.Locator("#readiness");
        Assert.Equal(view.Readiness.Text, (await readiness.InnerTextAsync()).Trim());
        Assert.True(await PageChecks.OnFirstScreenAsync(page, readiness), "the readiness figure is below the first screen");
        Assert.True(await PageChecks.OnFirstScreenAsync(page, page.Locator("#not-configured")), "the unconfigured-source line is below the first screen");

        Assert.True(view.Plan.Count >= 3, $"the sample plan has only {view.Plan.Count} actions");
        var rows = page.Locator("#plan-actions tbody tr");
        for (var i = 0; i < 3; i++)
        {
            var row = rows.Nth(i);
            Assert.True(await PageChecks.OnFirstScreenAsync(page, row), $"action {i + 1} is below the first screen");
            Assert.Contains(view.Plan[i].NextStep, await row.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains(view.Plan[i].Owner, await row.InnerTextAsync(), StringComparison.Ordinal);
        }

        // and it asked nothing of any other host and ran no script
        Assert.Empty(served.Page.Blocked);
        Assert.All(served.Page.Requests, url => Assert.StartsWith(served.Server.BaseUri.ToString(), url, StringComparison.Ordinal));
        Assert.Empty(served.Page.Dialogs);
    }

    [Fact]
    public async Task Heat_map_shows_the_38_annex_a_controls_each_labelled_with_its_id_and_status()
    {
        // Given the sample digest in Chromium
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        await using var served = await ServeDigestAsync(sample, report);
        var page = served.Page.Page;
        await page.GotoAsync(served.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        // When the heat map is brought into view
        var map = page.Locator("svg#heat-map");
        await map.ScrollIntoViewIfNeededAsync();
        await PageChecks.ScreenshotAsync(page, "digest-heat-map");

        // Then it has one visible cell per Annex A control, whose text and accessible name give its id and status
        var cells = map.Locator("a[data-control]");
        Assert.Equal(38, await cells.CountAsync());
        var expected = report.Controls.Where(c => c.Control.Type == Aims.Evidence.Catalog.ControlType.AnnexA).ToDictionary(c => c.Control.Id, c => c.Status.ToName());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in await cells.AllAsync())
        {
            var id = (await cell.GetAttributeAsync("data-control"))!;
            var text = await cell.Locator("text").AllTextContentsAsync();
            Assert.Equal([id, expected[id]], text);
            var title = report.Controls.Single(c => c.Control.Id == id).Control.Title;
            Assert.Equal($"{id} {expected[id]}: {title}", await cell.GetAttributeAsync("aria-label"));
            Assert.True(await cell.IsVisibleAsync(), $"{id} is not visible");
            seen.Add(id);
        }

        Assert.Equal(38, seen.Count);
    }

    [Fact]
    public async Task Every_in_page_link_lands_and_axe_finds_no_violation()
    {
        // Given the sample digest, with an inventory so the systems x records matrix shows too, in Chromium
        using var sample = await SampleEvidence.CreateAsync();
        await using var served = await ServeDigestAsync(sample, SampleInventory.With(await sample.AnalyzeAsync()));
        var page = served.Page.Page;
        await page.GotoAsync(served.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await PageChecks.ScreenshotAsync(page, "digest-full", fullPage: true);

        // When its links and its accessibility are checked
        var (links, broken) = await PageChecks.BrokenFragmentLinksAsync(page);
        var violations = await PageChecks.AxeViolationsAsync(page);

        // Then there are links (contents, heat map, plan, requirements) and every one has a target, and axe is satisfied
        Assert.True(links > 50, $"only {links} in-page links");
        Assert.True(broken.Count == 0, "broken: " + string.Join(", ", broken));
        Assert.True(violations.Count == 0, string.Join("\n", violations));

        Assert.Equal(2, await page.Locator("table.matrix tbody tr").CountAsync());

        // and following a heat-map cell opens the control's row
        await page.Locator("svg#heat-map a[data-control='A.5.3']").ClickAsync();
        Assert.EndsWith("#control-A.5.3", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator("[id='control-A.5.3']").IsVisibleAsync());
    }

    [Fact]
    public async Task Summary_counts_in_the_page_match_the_analysis()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        await using var served = await ServeDigestAsync(sample, report);
        var page = served.Page.Page;
        await page.GotoAsync(served.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        var shown = new Dictionary<string, (string Controls, string Requirements)>();
        foreach (var row in await page.Locator("table:has(caption:text('Controls and requirements per status')) tbody tr").AllAsync())
        {
            var cells = await row.Locator("td").AllInnerTextsAsync();
            shown[(await row.Locator("th").InnerTextAsync()).Trim()] = (cells[0], cells[1]);
        }

        Assert.Equal(8, shown.Count);
        foreach (var status in Enum.GetValues<GapStatus>())
        {
            Assert.Equal(report.ControlCounts[status].ToString(CultureInfo.InvariantCulture), shown[status.ToName()].Controls);
            Assert.Equal(report.RequirementCounts[status].ToString(CultureInfo.InvariantCulture), shown[status.ToName()].Requirements);
        }

        Assert.True(await page.GetByText(SampleEvidence.ScriptTitle).First.IsVisibleAsync());
        Assert.Empty(served.Page.Dialogs);
    }

    private async Task<ServedPage> ServeDigestAsync(SampleEvidence sample, GapReport report)
    {
        var folder = sample.Folder.Combine("site-" + Guid.NewGuid().ToString("N")[..8]);
        await DigestWriter.WriteFilesAsync(report, folder);
        return await ServedPage.OpenAsync(chromium.Browser, folder, "digest.html");
    }
}
