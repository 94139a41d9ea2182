using System.Collections.Concurrent;
using Aims.Testing;
using Microsoft.Playwright;

namespace Aims.Reporting.Tests.Browser;

/// <summary>
/// A page that may only talk to 127.0.0.1: every other request is aborted and remembered, so a test can assert that a
/// generated page needs nothing from outside. Also remembers dialogs, which only a script could open.
/// </summary>
public sealed class OfflinePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private OfflinePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Requests that went anywhere but 127.0.0.1 (all aborted).</summary>
    public ConcurrentQueue<string> Blocked { get; } = new();

    /// <summary>Every request the page made.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<string> Dialogs { get; } = new();

    public static async Task<OfflinePage> OpenAsync(IBrowser browser, int width = 1400, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var offline = new OfflinePage(context, page);
        page.Request += (_, request) => offline.Requests.Enqueue(request.Url);
        page.Dialog += async (_, dialog) =>
        {
            offline.Dialogs.Enqueue(dialog.Message);
            await dialog.DismissAsync();
        };
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "data" or "about" || url.Host == "127.0.0.1")
            {
                await route.ContinueAsync();
            }
            else
            {
                offline.Blocked.Enqueue(route.Request.Url);
                await route.AbortAsync("blockedbyclient");
            }
        });
        return offline;
    }

    /// <summary>Serves the files of <paramref name="folder"/> on 127.0.0.1 (GET only, nothing outside the folder).</summary>
    public static Task<LocalHttpServer> ServeFolderAsync(string folder) => LocalHttpServer.StartAsync(async context =>
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var relative = Uri.UnescapeDataString(context.Request.Path.Value ?? "/").TrimStart('/');
        var file = Path.GetFullPath(Path.Combine(root, relative));
        if (!file.StartsWith(root, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".json" => "application/json",
            ".csv" => "text/csv; charset=utf-8",
            ".md" => "text/markdown; charset=utf-8",
            ".txt" or "" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
        await using var content = File.OpenRead(file);
        await content.CopyToAsync(context.Response.Body);
    });

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
