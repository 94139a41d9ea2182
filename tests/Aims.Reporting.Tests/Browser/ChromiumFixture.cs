using Microsoft.Playwright;

namespace Aims.Reporting.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright .NET (its node driver ships in the package; Playwright's own browser download
/// is never used). A missing Chromium fails every browser test with the command that installs it.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium was not started.");

    public async Task InitializeAsync()
    {
        EnsureInstalled(ExecutablePath);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>Throws, naming the install script, when Chromium is not at <paramref name="executablePath"/>.</summary>
    public static void EnsureInstalled(string executablePath)
    {
        if (!File.Exists(executablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {executablePath}. Run scripts/install-chromium.sh (it installs Debian's chromium package), then run the tests again.");
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
