using Aims.Reporting.Tests.Fixtures;
using Microsoft.Playwright;

namespace Aims.Reporting.Tests.Browser;

public sealed class BundleIndexInChromiumTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Control_index_links_each_of_the_41_controls_and_records_to_its_section()
    {
        // Given an extracted bundle of the sample served from 127.0.0.1
        using var sample = await SampleEvidence.CreateAsync();
        await using var served = await ServeBundleAsync(sample);
        var page = served.Page.Page;

        // When Chromium opens index.html
        await page.GotoAsync(served.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await PageChecks.ScreenshotAsync(page, "bundle-index-first-screen");

        // Then the top names the organization, the audit period and the signature status
        Assert.Equal(SampleEvidence.Organization, (await page.Locator("#organization").InnerTextAsync()).Trim());
        Assert.Equal("2026-01-01 to 2026-06-30", (await page.Locator("#audit-period").InnerTextAsync()).Trim());
        Assert.StartsWith("not signed", (await page.Locator("#signature").InnerTextAsync()).Trim(), StringComparison.Ordinal);

        // and the control index has 41 rows whose links each lead to a section headed by that control
        var links = page.Locator("table.control-index tbody th a");
        Assert.Equal(41, await links.CountAsync());
        foreach (var link in await links.AllAsync())
        {
            var id = (await link.InnerTextAsync()).Trim();
            var href = await link.GetAttributeAsync("href");
            Assert.Equal($"#control-{id}", href);
            var section = page.Locator($"section[id='control-{id}'] h3");
            Assert.StartsWith(id + " ", (await section.InnerTextAsync()).Trim(), StringComparison.Ordinal);
        }

        await links.Filter(new() { HasText = "A.6.1.3" }).ClickAsync();
        Assert.EndsWith("#control-A.6.1.3", page.Url, StringComparison.Ordinal);
        Assert.True(await PageChecks.OnFirstScreenAsync(page, page.Locator("section[id='control-A.6.1.3'] h3")));
        await PageChecks.ScreenshotAsync(page, "bundle-index-control");
    }

    [Fact]
    public async Task Every_link_resolves_inside_the_bundle_and_axe_finds_no_violation()
    {
        // Given an extracted bundle of the sample in Chromium
        using var sample = await SampleEvidence.CreateAsync();
        await using var served = await ServeBundleAsync(sample);
        var page = served.Page.Page;
        await page.GotoAsync(served.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await PageChecks.ScreenshotAsync(page, "bundle-index-full", fullPage: true);

        // When every in-page link and every file link is followed
        var (fragments, broken) = await PageChecks.BrokenFragmentLinksAsync(page);
        var files = await page.EvaluateAsync<string[]>("() => [...new Set([...document.querySelectorAll('a[href]:not([href^=\"#\"])')].map(a => a.href))]");
        var missing = new List<string>();
        foreach (var file in files)
        {
            var answer = await page.APIRequest.GetAsync(file);
            if (answer.Status != 200)
            {
                missing.Add($"{file}: {answer.Status}");
            }
        }

        // Then every one lands: sections on the page, evidence and raw payload files in the bundle
        Assert.True(fragments >= 41, $"only {fragments} in-page links");
        Assert.True(broken.Count == 0, "broken: " + string.Join(", ", broken));
        Assert.Contains(files, f => f.EndsWith($"evidence/items/{sample.Ids["policy"]}.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("/evidence/raw/", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
        Assert.True(missing.Count == 0, string.Join("\n", missing));

        // and axe finds nothing, and the page needed nothing from outside 127.0.0.1
        var violations = await PageChecks.AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.Empty(served.Page.Blocked);
        Assert.Empty(served.Page.Dialogs);
    }

    private async Task<ServedPage> ServeBundleAsync(SampleEvidence sample)
    {
        var (zip, _) = await Bundles.WriteAsync(sample, SampleInventory.With(await sample.AnalyzeAsync()));
        var folder = sample.Folder.Combine("bundle-" + Guid.NewGuid().ToString("N")[..8]);
        Bundles.ExtractTo(zip, folder);
        return await ServedPage.OpenAsync(chromium.Browser, folder, "index.html");
    }
}
