using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Storage.Azure.Tests;

public sealed class AzuriteFixtureTests
{
    [Fact]
    public void A_missing_azurite_fails_loudly_and_says_to_run_npm_ci()
    {
        using var emptyRepository = new TempDirectory();

        var ex = Assert.Throws<InvalidOperationException>(() => AzuriteFixture.ExecutableIn(emptyRepository.Path));

        Assert.Contains("npm ci", ex.Message);
        Assert.Contains(emptyRepository.Path, ex.Message);
    }

    [Fact]
    public void Unique_names_are_valid_container_and_queue_names_and_never_repeat()
    {
        var names = Enumerable.Range(0, 50).Select(_ => AzuriteFixture.UniqueName("contract")).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", n));
        Assert.All(names, n => Assert.InRange(n.Length, 3, 63));
    }
}
