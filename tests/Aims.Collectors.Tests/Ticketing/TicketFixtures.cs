using System.Text.Json.Nodes;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>
/// JSON fixtures shaped like Jira's, ServiceNow's and GitHub's documented example payloads
/// (Fixtures/Jira, Fixtures/ServiceNow, Fixtures/GitHubIssues). <c>{{name}}</c> placeholders are replaced with the values given.
/// </summary>
internal static class TicketFixtures
{
    public static string Text(string system, string file, params (string Name, string Value)[] values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", system, file));
        foreach (var (name, value) in values)
        {
            text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }

    public static JsonNode Json(string system, string file, params (string Name, string Value)[] values) => JsonNode.Parse(Text(system, file, values))!;

    public static string Jira(string file, params (string Name, string Value)[] values) => Text("Jira", file, values);

    public static string ServiceNow(string file, params (string Name, string Value)[] values) => Text("ServiceNow", file, values);

    public static string GitHubIssues(string file, params (string Name, string Value)[] values) => Text("GitHubIssues", file, values);
}
