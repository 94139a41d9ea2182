using System.Text.Json.Nodes;
using Aims.Functions.Tests.Infrastructure;
using Aims.Testing;
using Aims.Testing.Azurite;
using Microsoft.AspNetCore.Http;

namespace Aims.Functions.Tests.Contract;

/// <summary>AnalyzeGaps as the host invokes it: the digest lands in the store and goes to every configured channel.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AnalyzeGapsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private const string Title = "Contoso Financial (sample): AIMS evidence-gap digest";

    [Fact]
    public async Task Writes_the_latest_and_the_dated_digest_in_every_format()
    {
        await using var host = await HandlerHost.StartAsync(now: Monday, azurite: azurite);
        await CollectAsync(host);

        var answer = await host.InvokeAsync("AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", Monday, next: Monday));

        Assert.Equal(200, answer.Status);
        foreach (var name in new[] { "latest", "2026-11-23" })
        {
            var json = JsonNode.Parse((await StoreProbe.ReportTextAsync(host.Runtime.Store, $"digest/{name}.json"))!)!;
            Assert.Equal("Contoso Financial (sample)", json["organization"]!.GetValue<string>());
            Assert.Contains("Contoso Financial (sample)", await StoreProbe.ReportTextAsync(host.Runtime.Store, $"digest/{name}.md"));
            Assert.StartsWith("<!DOCTYPE html>", (await StoreProbe.ReportTextAsync(host.Runtime.Store, $"digest/{name}.html"))!.TrimStart(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("No notification channel is configured", answer.AllLogs);
    }

    [Fact]
    public async Task Sends_a_Teams_card_a_Graph_mail_and_opens_the_digest_issue()
    {
        await using var teams = await RecordingServer.StartAsync((_, r) => r.WriteAsync("1"));
        await using var graph = await RecordingServer.StartAsync((_, r) => { r.StatusCode = 202; return Task.CompletedTask; }, https: true);
        await using var github = await RecordingServer.StartAsync(GitHub(existing: null));
        var credential = new FakeTokenCredential("graph-token");
        await using var host = await HandlerHost.StartAsync(Channels(teams, graph, github), httpHandler: graph.Server.CreateClientHandler(), credential: credential, now: Monday, azurite: azurite);

        var answer = await host.InvokeAsync("AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", Monday));

        Assert.Equal(200, answer.Status);
        var card = JsonNode.Parse(Assert.Single(teams.Requests).Body)!;
        Assert.Equal("message", card["type"]!.GetValue<string>());
        var attachment = card["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", attachment["content"]!["type"]!.GetValue<string>());
        Assert.Contains(attachment["content"]!["body"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "FactSet" && b["facts"]!.AsArray().Count > 0);
        Assert.Equal("https://aims.contoso.example/digest", attachment["content"]!["actions"]![0]!["url"]!.GetValue<string>());

        var mail = Assert.Single(graph.Requests);
        Assert.Equal("POST", mail.Method);
        Assert.Equal("/v1.0/users/aims@contoso.example/sendMail", mail.PathAndQuery);
        Assert.Equal("Bearer graph-token", mail.Authorization);
        Assert.Contains(credential.Requests, scopes => scopes.SequenceEqual(["https://graph.microsoft.com/.default"]));
        var message = JsonNode.Parse(mail.Body)!["message"]!;
        Assert.Equal(["lead@contoso.example", "auditor@contoso.example"], message["toRecipients"]!.AsArray().Select(r => r!["emailAddress"]!["address"]!.GetValue<string>()));
        Assert.Equal("HTML", message["body"]!["contentType"]!.GetValue<string>());
        Assert.StartsWith($"{Title} (2026-11-23)", message["subject"]!.GetValue<string>());

        var create = Assert.Single(github.Requests, r => r.Method == "POST");
        Assert.Equal("/repos/contoso/compliance/issues", create.PathAndQuery);
        Assert.Equal("Bearer ghp_issue_token", create.Authorization);
        var issue = JsonNode.Parse(create.Body)!;
        Assert.Equal(Title, issue["title"]!.GetValue<string>());
        Assert.Equal(["aims-digest"], issue["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("Contoso Financial (sample)", issue["body"]!.GetValue<string>());
        Assert.Contains("Teams: posted an Adaptive Card", answer.AllLogs);
        Assert.Contains("Email: sent from aims@contoso.example to 2 recipient(s)", answer.AllLogs);
        Assert.Contains("GitHub issue: opened issue #7", answer.AllLogs);
    }

    [Fact]
    public async Task Keeps_one_issue_up_to_date_found_by_label_and_title_across_pages()
    {
        await using var github = await RecordingServer.StartAsync(GitHub(existing: 42));
        await using var host = await HandlerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Aims:Notifications:GitHubIssue:Repository"] = "contoso/compliance",
            ["Aims:Notifications:GitHubIssue:BaseUrl"] = github.BaseUri.AbsoluteUri,
            ["Aims:Notifications:GitHubIssue:Token"] = "ghp_issue_token",
        }, now: Monday, azurite: azurite);

        var answer = await host.InvokeAsync("AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", Monday));

        Assert.Equal(["GET", "GET", "PATCH"], github.Requests.Select(r => r.Method));
        // Octokit's typed listing: the labelled issues, open and closed, 100 per page
        var list = github.Requests[0].PathAndQuery;
        Assert.StartsWith("/repos/contoso/compliance/issues?", list, StringComparison.Ordinal);
        Assert.All(new[] { "labels=aims-digest", "state=all", "per_page=100" }, p => Assert.Contains(p, list, StringComparison.Ordinal));
        var patch = github.Requests[2];
        Assert.Equal("/repos/contoso/compliance/issues/42", patch.PathAndQuery);
        Assert.Equal("open", JsonNode.Parse(patch.Body)!["state"]!.GetValue<string>());
        Assert.DoesNotContain(github.Requests, r => r.Method == "POST");
        Assert.Contains("updated issue #42", answer.AllLogs);
    }

    [Fact]
    public async Task A_failing_channel_is_reported_and_the_others_still_send()
    {
        await using var teams = await RecordingServer.StartAsync((_, r) => { r.StatusCode = 500; return r.WriteAsync("Webhook unavailable"); });
        await using var graph = await RecordingServer.StartAsync((_, r) => { r.StatusCode = 202; return Task.CompletedTask; }, https: true);
        await using var github = await RecordingServer.StartAsync(GitHub(existing: null));
        await using var host = await HandlerHost.StartAsync(Channels(teams, graph, github), httpHandler: graph.Server.CreateClientHandler(), now: Monday, azurite: azurite);

        var answer = await host.InvokeAsync("AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", Monday));

        Assert.Equal(200, answer.Status);
        Assert.Contains("Error: Teams failed: Teams: POST /webhook answered 500", answer.AllLogs);
        Assert.Single(graph.Requests);
        Assert.Single(github.Requests, r => r.Method == "POST");
        Assert.NotNull(await StoreProbe.ReportTextAsync(host.Runtime.Store, "digest/latest.html"));
    }

    private static async Task CollectAsync(HandlerHost host)
    {
        var plan = await host.InvokeAsync("ScheduleCollection", HostPayloads.Timer("ScheduleCollection", Monday));
        foreach (var job in (JsonArray)plan.Outputs["jobs"]!)
        {
            await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job!.ToJsonString(), 1, job["jobId"]!.GetValue<string>(), Monday));
        }
    }

    private static Dictionary<string, string?> Channels(RecordingServer teams, RecordingServer graph, RecordingServer github) => new()
    {
        ["Aims:Notifications:DigestUrl"] = "https://aims.contoso.example/digest",
        ["Aims:Notifications:Teams:WebhookUrl"] = new Uri(teams.BaseUri, "webhook").AbsoluteUri,
        ["Aims:Notifications:Email:Sender"] = "aims@contoso.example",
        ["Aims:Notifications:Email:To"] = "lead@contoso.example;auditor@contoso.example",
        ["Aims:Notifications:Email:GraphBaseUrl"] = new Uri(graph.BaseUri, "v1.0").AbsoluteUri,
        ["Aims:Notifications:GitHubIssue:Repository"] = "contoso/compliance",
        ["Aims:Notifications:GitHubIssue:BaseUrl"] = github.BaseUri.AbsoluteUri,
        ["Aims:Notifications:GitHubIssue:Token"] = "ghp_issue_token",
    };

    /// <summary>
    /// GitHub's issues API: the labelled issues in two pages (a pull request with the digest's title on the first,
    /// which must be skipped), then create (201 with number 7) or update.
    /// </summary>
    private static Func<RecordedRequest, HttpResponse, Task> GitHub(int? existing) => (request, response) =>
    {
        response.ContentType = "application/json";
        if (request.Method == "GET" && !request.PathAndQuery.Contains("page=2", StringComparison.Ordinal))
        {
            var baseUrl = $"{response.HttpContext.Request.Scheme}://{response.HttpContext.Request.Host}";
            response.Headers["Link"] = $"<{baseUrl}/repos/contoso/compliance/issues?labels=aims-digest&state=all&per_page=100&page=2>; rel=\"next\", <{baseUrl}/repos/contoso/compliance/issues?labels=aims-digest&state=all&per_page=100&page=2>; rel=\"last\"";
            return response.WriteAsync($$$"""[{"number": 3, "title": "{{{Title}}}", "pull_request": {"url": "x"}}, {"number": 4, "title": "Another digest"}]""");
        }

        if (request.Method == "GET")
        {
            return response.WriteAsync(existing is { } n ? $$"""[{"number": {{n}}, "title": "{{Title}}", "state": "closed"}]""" : "[]");
        }

        response.StatusCode = request.Method == "POST" ? 201 : 200;
        return response.WriteAsync(request.Method == "POST" ? """{"number": 7}""" : "{\"number\": " + existing + "}");
    };
}
