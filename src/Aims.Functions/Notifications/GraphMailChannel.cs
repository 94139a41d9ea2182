using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Aims.Reporting.Digest;
using Azure.Core;

namespace Aims.Functions.Notifications;

/// <summary>
/// Sends the digest by email through Microsoft Graph <c>POST /users/{sender}/sendMail</c> with the app's identity
/// (application permission Mail.Send, best limited to the sender's mailbox by an application access policy).
/// The body is the HTML digest's first screen (next audit, readiness, the plan) with a link to the full digest:
/// small enough for any mailbox, and the part a reader acts on.
/// </summary>
public sealed class GraphMailChannel(HttpClient http, EmailSettings settings, TokenCredential credential) : IDigestChannel
{
    public const string Scope = "https://graph.microsoft.com/.default";

    public string Name => "Email";

    public async Task<string> SendAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
        var url = new Uri(settings.GraphBaseUrl, $"users/{Uri.EscapeDataString(settings.Sender)}/sendMail");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = ChannelHttp.Json(Message(digest, settings.To)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ChannelHttp.EnsureSuccessAsync(Name, response, cancellationToken).ConfigureAwait(false);
        return $"sent from {settings.Sender} to {settings.To.Count} recipient(s) through Microsoft Graph";
    }

    public static JsonObject Message(DigestMessage digest, IReadOnlyList<string> to)
    {
        var recipients = new JsonArray();
        foreach (var address in to)
        {
            recipients.Add(new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = address } });
        }

        var html = HtmlDigestWriter.FirstScreenPage(digest.Report, digest.HtmlLink);
        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["subject"] = $"{digest.Title} ({digest.Report.AsOf:yyyy-MM-dd})",
                ["body"] = new JsonObject { ["contentType"] = "HTML", ["content"] = html },
                ["toRecipients"] = recipients,
            },
            ["saveToSentItems"] = false,
        };
    }
}
