using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;

namespace Aims.Functions.Notifications;

/// <summary>
/// Posts the digest to a Teams incoming webhook (or a Workflows "post to a channel when a webhook request is
/// received" URL) as a message with one Adaptive Card: the headline (next audit, readiness, sources not configured),
/// the first actions of the plan, and a button that opens the HTML digest.
/// </summary>
public sealed class TeamsWebhookChannel(HttpClient http, Uri webhook) : IDigestChannel
{
    /// <summary>Actions shown on the card; the rest are one click away in the digest.</summary>
    public const int FirstActions = 5;

    public string Name => "Teams";

    public async Task<string> SendAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        using var content = ChannelHttp.Json(Card(digest));
        using var response = await http.PostAsync(webhook, content, cancellationToken).ConfigureAwait(false);
        await ChannelHttp.EnsureSuccessAsync(Name, response, cancellationToken).ConfigureAwait(false);
        return $"posted an Adaptive Card to the Teams webhook ({webhook.Host})";
    }

    /// <summary>The webhook payload: <c>{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{card}}]}</c>.</summary>
    public static JsonObject Card(DigestMessage digest)
    {
        var view = new DigestView(digest.Report);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = digest.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray
                {
                    Fact("Next audit", view.NextAuditText),
                    Fact("Readiness", view.Readiness.Text),
                    Fact("Not configured", view.Readiness.NotConfiguredText),
                    Fact("As of", digest.Report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                },
            },
        };

        if (view.Plan.Count == 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "Nothing to do before the next audit: every requirement is ok or waived.", ["wrap"] = true });
        }
        else
        {
            body.Add(new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = view.Plan.Count > FirstActions ? $"The plan: first {FirstActions} of {view.Plan.Count} actions" : $"The plan: {view.Plan.Count} action{(view.Plan.Count == 1 ? "" : "s")}",
                ["weight"] = "Bolder",
                ["spacing"] = "Medium",
                ["wrap"] = true,
            });
            foreach (var action in view.Plan.Take(FirstActions))
            {
                var due = action.IsOverdue(digest.Report.AsOf) ? "now" : action.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                body.Add(new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["wrap"] = true,
                    ["spacing"] = "Small",
                    ["text"] = $"**{due}** · {Plain(action.NextStep)} · {Plain(action.Owner)} · {Plain(string.Join(", ", action.RequirementIds.Take(3)))}{(action.RequirementIds.Count > 3 ? " …" : "")} ({action.Status.ToName()})",
                });
            }
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (digest.HtmlLink is { } link)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the digest", ["url"] = link.AbsoluteUri } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    /// <summary>Text from evidence must not become Markdown on the card (a link, emphasis): its markup characters are escaped.</summary>
    private static string Plain(string text) =>
        string.Concat(text.Select(c => c is '*' or '_' or '[' or ']' or '(' or ')' or '`' or '#' or '<' or '>' or '\\' or '~' ? $"\\{c}" : c.ToString()));
}
