using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Evidence.Gaps;

namespace Aims.Functions.Notifications;

/// <summary>
/// Posts the digest to a Teams incoming webhook (or a Workflows "post to a channel when a webhook request is
/// received" URL) as a message with one Adaptive Card: the counts of controls per status, the most urgent gaps, and a
/// button that opens the HTML digest.
/// </summary>
public sealed class TeamsWebhookChannel(HttpClient http, Uri webhook) : IDigestChannel
{
    public const int UrgentCount = 8;

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
        var report = digest.Report;
        var facts = new JsonArray();
        foreach (var (status, count) in digest.ControlCounts)
        {
            facts.Add(new JsonObject { ["title"] = status.ToName(), ["value"] = count.ToString(CultureInfo.InvariantCulture) });
        }

        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = digest.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "TextBlock",
                ["isSubtle"] = true,
                ["wrap"] = true,
                ["text"] = $"As of {report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" +
                    (report.NextAudit is { } next ? $"; next audit {next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "") +
                    $". {report.Controls.Count} controls, {report.CollectorProblems.Count} collector problem(s).",
            },
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };

        var urgent = digest.MostUrgent(UrgentCount);
        if (urgent.Count > 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "Most urgent", ["weight"] = "Bolder", ["spacing"] = "Medium" });
            foreach (var r in urgent)
            {
                body.Add(new JsonObject
                {
                    ["type"] = "TextBlock",
                    ["wrap"] = true,
                    ["spacing"] = "Small",
                    ["text"] = $"**{r.Status.ToName()}** · {string.Join(", ", r.Requirement.Controls)} · {r.Requirement.Id} ({r.Requirement.Owner}): {r.Reason}",
                });
            }
        }
        else
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = "No gaps: every requirement is ok or waived.", ["wrap"] = true });
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
}
