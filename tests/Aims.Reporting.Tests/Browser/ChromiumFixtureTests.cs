namespace Aims.Reporting.Tests.Browser;

public sealed class ChromiumFixtureTests
{
    [Fact]
    public void A_missing_chromium_fails_with_the_install_command()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChromiumFixture.EnsureInstalled("/nonexistent/chromium"));

        Assert.Contains("scripts/install-chromium.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/chromium", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_installed_chromium_is_where_the_browser_tests_launch_it()
    {
        var exception = Record.Exception(() => ChromiumFixture.EnsureInstalled(ChromiumFixture.ExecutablePath));

        Assert.Null(exception);
    }
}
