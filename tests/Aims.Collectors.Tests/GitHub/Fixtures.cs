using System.Text.Json.Nodes;

namespace Aims.Collectors.Tests.GitHub;

/// <summary>
/// JSON fixtures shaped like GitHub's documented example payloads (Fixtures/GitHub/*.json). <c>{{name}}</c>
/// placeholders are replaced with the values given.
/// </summary>
internal static class Fixtures
{
    public static string Text(string file, params (string Name, string Value)[] values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "GitHub", file));
        foreach (var (name, value) in values)
        {
            text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        }

        return text;
    }

    public static JsonNode Json(string file, params (string Name, string Value)[] values) => JsonNode.Parse(Text(file, values))!;
}
