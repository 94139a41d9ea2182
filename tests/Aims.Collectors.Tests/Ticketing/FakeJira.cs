using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>Builds Jira Cloud responses for the fake: search pages, issues from the template, Jira-shaped errors.</summary>
internal static class FakeJira
{
    public const string SearchPath = "rest/api/3/search/jql";

    /// <summary>The search request's JSON body.</summary>
    public static JsonObject Body(FakeRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    public static string Jql(FakeRequest request) => Body(request)["jql"]!.GetValue<string>();

    public static string? Token(FakeRequest request) => Body(request)["nextPageToken"]?.GetValue<string>();

    /// <summary>An open issue from <c>issue-template.json</c>, created <paramref name="day"/> days into the period.</summary>
    public static JsonNode Issue(string project, int number, int day = 10) =>
        TicketFixtures.Json("Jira", "issue-template.json",
            ("id", (10000 + number).ToString(CultureInfo.InvariantCulture)),
            ("key", $"{project}-{number}"),
            ("project", project),
            ("created", TicketingHarness.Period.From.AddDays(day).ToString("yyyy-MM-dd'T'HH:mm:ss.fff+0000", CultureInfo.InvariantCulture)));

    /// <summary>A search page as <c>search/jql</c> answers: the last page has <c>isLast: true</c> and no token.</summary>
    public static FakeResponse Page(string? nextPageToken, params JsonNode[] issues)
    {
        var page = new JsonObject { ["issues"] = new JsonArray(issues) };
        if (nextPageToken is not null)
        {
            page["nextPageToken"] = nextPageToken;
        }

        page["isLast"] = nextPageToken is null;
        return FakeResponse.Ok(page.ToJsonString());
    }

    public static FakeResponse Fixture(string file) => FakeResponse.Ok(TicketFixtures.Jira(file));

    public static FakeResponse Error(int status, string file, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, TicketFixtures.Jira(file), headers);

    /// <summary>Answers the search by the kind its JQL names (by a distinctive part of the default query).</summary>
    public static void Search(TicketingHarness h, Func<FakeRequest, FakeResponse> respond) => h.Fake.On("POST", SearchPath, respond);
}
