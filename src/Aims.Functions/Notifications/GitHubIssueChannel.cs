using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Aims.Functions.Notifications;

/// <summary>
/// Keeps one GitHub issue holding the latest digest (Auditree's habit): finds it by the <c>aims-digest</c> label and
/// its title, and replaces its body (reopening it if someone closed it); opens it when there is none.
/// </summary>
public sealed class GitHubIssueChannel(HttpClient http, GitHubIssueSettings settings) : IDigestChannel
{
    public const string Label = "aims-digest";

    /// <summary>GitHub refuses issue bodies over 65,536 characters.</summary>
    private const int MaxBodyChars = 65_000;
    private const int MaxPages = 20;

    public string Name => "GitHub issue";

    public async Task<string> SendAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        var repo = $"repos/{Uri.EscapeDataString(settings.Owner)}/{Uri.EscapeDataString(settings.Repository)}";
        var body = Body(digest);
        var existing = await FindAsync(repo, digest.Title, cancellationToken).ConfigureAwait(false);
        if (existing is { } number)
        {
            using var patch = Request(HttpMethod.Patch, $"{repo}/issues/{number.ToString(CultureInfo.InvariantCulture)}", new JsonObject { ["body"] = body, ["state"] = "open" });
            using var updated = await http.SendAsync(patch, cancellationToken).ConfigureAwait(false);
            await ChannelHttp.EnsureSuccessAsync(Name, updated, cancellationToken).ConfigureAwait(false);
            return $"updated issue #{number} in {settings.Owner}/{settings.Repository}";
        }

        using var post = Request(HttpMethod.Post, $"{repo}/issues", new JsonObject { ["title"] = digest.Title, ["body"] = body, ["labels"] = new JsonArray { Label } });
        using var created = await http.SendAsync(post, cancellationToken).ConfigureAwait(false);
        await ChannelHttp.EnsureSuccessAsync(Name, created, cancellationToken).ConfigureAwait(false);
        var json = JsonNode.Parse(await created.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return $"opened issue #{json?["number"]} in {settings.Owner}/{settings.Repository}";
    }

    /// <summary>The number of the digest issue, paging through the labelled issues (open and closed); null when there is none.</summary>
    private async Task<long?> FindAsync(string repo, string title, CancellationToken cancellationToken)
    {
        string? next = $"{repo}/issues?labels={Label}&state=all&per_page=100";
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            using var request = Request(HttpMethod.Get, next, null);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await ChannelHttp.EnsureSuccessAsync(Name, response, cancellationToken).ConfigureAwait(false);
            var issues = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)) as JsonArray ?? [];
            foreach (var issue in issues.OfType<JsonObject>())
            {
                if (issue["pull_request"] is null && issue["title"]?.GetValue<string>() == title && issue["number"] is JsonValue n && n.TryGetValue<long>(out var number))
                {
                    return number;
                }
            }

            next = NextLink(response);
            if (next is not null && !string.Equals(new Uri(settings.BaseUrl, next).GetLeftPart(UriPartial.Authority), settings.BaseUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                // The token goes with every request: never follow a link to another host.
                throw new HttpRequestException($"{Name}: the issues listing links to another host ({new Uri(settings.BaseUrl, next).Host}); refusing to follow it.");
            }
        }

        return null;
    }

    private HttpRequestMessage Request(HttpMethod method, string pathOrUrl, JsonNode? body)
    {
        var request = new HttpRequestMessage(method, new Uri(settings.BaseUrl, pathOrUrl));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("aims-evidence");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        if (body is not null)
        {
            request.Content = ChannelHttp.Json(body);
        }

        return request;
    }

    private string Body(DigestMessage digest)
    {
        var link = digest.HtmlLink is { } l ? $"\n\n[Open the HTML digest]({l.AbsoluteUri})" : "";
        var text = digest.Markdown;
        if (text.Length + link.Length > MaxBodyChars)
        {
            text = text[..(MaxBodyChars - link.Length - 200)] + "\n\n… (truncated: the digest is longer than a GitHub issue allows)";
        }

        return $"<!-- Kept up to date by AIMS Evidence ({settings.Owner}/{settings.Repository}); edits are overwritten. -->\n{text}{link}";
    }

    /// <summary>The <c>rel="next"</c> URL of a Link header, if any.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var part in values.SelectMany(v => v.Split(',')))
        {
            var segments = part.Split(';', StringSplitOptions.TrimEntries);
            if (segments.Length > 1 && segments.Skip(1).Any(s => s.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\"") && segments[0].StartsWith('<') && segments[0].EndsWith('>'))
            {
                return segments[0][1..^1];
            }
        }

        return null;
    }
}
