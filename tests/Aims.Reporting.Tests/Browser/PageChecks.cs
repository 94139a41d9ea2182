using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Aims.Reporting.Tests.Browser;

/// <summary>What every generated page must pass in the browser: in-page links land, no axe violations, a kept screenshot.</summary>
public static class PageChecks
{
    /// <summary>Screenshots are kept under the test output folder (artifacts/screenshots) for people to look at.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }

    /// <summary>Every <c>href="#id"</c> (HTML and SVG links alike) whose target id is not on the page.</summary>
    public static async Task<(int Links, IReadOnlyList<string> Broken)> BrokenFragmentLinksAsync(IPage page)
    {
        var result = await page.EvaluateAsync<string[]>("""
            () => {
              const links = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'));
              const broken = links.filter(h => h.length < 2 || !document.getElementById(decodeURIComponent(h.slice(1))));
              return [String(links.length), ...broken];
            }
            """);
        return (int.Parse(result[0], System.Globalization.CultureInfo.InvariantCulture), result[1..]);
    }

    /// <summary>Every axe violation, whatever its impact, as one line each.</summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        var axe = await page.RunAxe();
        Assert.NotEmpty(axe.Passes);
        return axe.Violations
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
    }

    /// <summary>True when the element's box lies entirely inside the viewport (it is on the first screen).</summary>
    public static async Task<bool> OnFirstScreenAsync(IPage page, ILocator element)
    {
        var box = await element.BoundingBoxAsync();
        var viewport = page.ViewportSize!;
        return box is not null && box.Y >= 0 && box.X >= 0 && box.Y + box.Height <= viewport.Height && box.X + box.Width <= viewport.Width;
    }
}

/// <summary>A folder served on 127.0.0.1 and an offline page to open it in; disposes both.</summary>
public sealed record ServedPage(Aims.Testing.LocalHttpServer Server, OfflinePage Page, string Url) : IAsyncDisposable
{
    public static async Task<ServedPage> OpenAsync(IBrowser browser, string folder, string file)
    {
        var server = await OfflinePage.ServeFolderAsync(folder);
        var page = await OfflinePage.OpenAsync(browser);
        return new ServedPage(server, page, new Uri(server.BaseUri, file).ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Page.DisposeAsync();
        await Server.DisposeAsync();
    }
}
