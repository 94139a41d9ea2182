namespace Aims.Evidence.Tests;

public sealed class PluralTests
{
    [Theory]
    [InlineData(1, "error", "1 error")]
    [InlineData(0, "error", "0 errors")]
    [InlineData(3, "repository", "3 repositories")]
    [InlineData(2, "new item", "2 new items")]
    [InlineData(2, "day", "2 days")]
    [InlineData(2, "match", "2 matches")]
    public void Counts_read_as_english(long count, string noun, string expected) =>
        Assert.Equal(expected, Plural.Count(count, noun));

    [Fact]
    public void A_requirement_scope_names_repositories_not_repositorys()
    {
        var scope = new Requirements.RequirementScope("repository", new Dictionary<string, string>(), null);

        Assert.Equal("repositories", scope.ToString());
    }
}
