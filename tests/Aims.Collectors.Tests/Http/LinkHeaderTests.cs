using Aims.Collectors.Http;

namespace Aims.Collectors.Tests.Http;

public sealed class LinkHeaderTests
{
    private static readonly Uri Request = new("https://api.example.com/api/v3/orgs/contoso/repos?per_page=100");

    [Fact]
    public void Finds_next_among_several_relations()
    {
        const string header = "<https://api.example.com/api/v3/orgs/contoso/repos?per_page=100&page=2>; rel=\"next\", <https://api.example.com/api/v3/orgs/contoso/repos?per_page=100&page=5>; rel=\"last\"";

        Assert.Equal(new Uri("https://api.example.com/api/v3/orgs/contoso/repos?per_page=100&page=2"), LinkHeader.FindNext(header, Request));
        Assert.Equal(new Uri("https://api.example.com/api/v3/orgs/contoso/repos?per_page=100&page=5"), LinkHeader.Find(header, "last", Request));
    }

    [Fact]
    public void Reads_a_relation_listed_with_others_and_unquoted()
    {
        Assert.NotNull(LinkHeader.FindNext("<https://api.example.com/a?page=2>; rel=\"next last\"", Request));
        Assert.NotNull(LinkHeader.FindNext("<https://api.example.com/a?page=2>; REL=next", Request));
    }

    [Fact]
    public void Resolves_a_relative_target_against_the_request()
    {
        Assert.Equal(new Uri("https://api.example.com/api/v3/orgs/contoso/repos?page=2"), LinkHeader.FindNext("</api/v3/orgs/contoso/repos?page=2>; rel=\"next\"", Request));
    }

    [Fact]
    public void Keeps_commas_inside_the_target()
    {
        var next = LinkHeader.FindNext("<https://api.example.com/search?q=a,b&page=2>; rel=\"next\", <https://api.example.com/search?q=a,b&page=9>; rel=\"last\"", Request);

        Assert.Equal("?q=a,b&page=2", next!.Query);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<https://api.example.com/a?page=1>; rel=\"prev\", <https://api.example.com/a?page=1>; rel=\"first\"")]
    [InlineData("garbage without brackets; rel=\"next\"")]
    public void Is_null_on_the_last_page_or_without_a_usable_link(string? header)
    {
        Assert.Null(LinkHeader.FindNext(header, Request));
    }
}
