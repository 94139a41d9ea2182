using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Aims.Functions.Notifications;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Functions.Tests.Units.Notifications;

/// <summary>The digest issue through Octokit against a local GitHub that answers the way api.github.com documents.</summary>
public sealed class GitHubIssueChannelTests
{
    [Fact]
    public async Task Opens_the_labelled_issue_with_a_bearer_token_when_none_exists()
    {
        await using var github = await FakeGitHub.StartAsync((request, _) => request.Method == "GET" ? (200, "[]", null) : (201, """{"number": 7, "title": "x"}""", null));

        var outcome = await Channel(github).SendAsync(SampleDigest.Message(new Uri("https://aims.contoso.example/digest")));

        Assert.Equal("opened issue #7 in contoso/compliance", outcome);
        Assert.Equal(["GET", "POST"], github.Requests.Select(r => r.Method));
        var create = github.Requests[1];
        Assert.Equal("/repos/contoso/compliance/issues", create.Path);
        Assert.Equal("Bearer ghp_test_token", create.Authorization);
        var body = JsonNode.Parse(create.Body)!;
        Assert.Equal(SampleDigest.Title, body["title"]!.GetValue<string>());
        Assert.Equal(["aims-digest"], body["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("# Contoso digest", body["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("[Open the HTML digest](https://aims.contoso.example/digest)", body["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updates_and_reopens_the_issue_found_on_a_later_page_skipping_a_pull_request_with_the_same_title()
    {
        await using var github = await FakeGitHub.StartAsync((request, baseUri) => request switch
        {
            { Method: "GET", Query: var q } when !q.Contains("page=2", StringComparison.Ordinal) => (200,
                $$$"""[{"number": 3, "title": "{{{SampleDigest.Title}}}", "pull_request": {"url": "x"}}, {"number": 4, "title": "Another digest"}]""",
                $"<{baseUri}repos/contoso/compliance/issues?labels=aims-digest&state=all&per_page=100&page=2>; rel=\"next\""),
            { Method: "GET" } => (200, $$"""[{"number": 42, "title": "{{SampleDigest.Title}}", "state": "closed"}]""", null),
            _ => (200, """{"number": 42, "title": "x"}""", null),
        });

        var outcome = await Channel(github).SendAsync(SampleDigest.Message());

        Assert.Equal("updated issue #42 in contoso/compliance", outcome);
        Assert.Equal(["GET", "GET", "PATCH"], github.Requests.Select(r => r.Method));
        Assert.Contains("labels=aims-digest", github.Requests[0].Query, StringComparison.Ordinal);
        Assert.Contains("state=all", github.Requests[0].Query, StringComparison.Ordinal);
        Assert.Equal("/repos/contoso/compliance/issues/42", github.Requests[2].Path);
        Assert.Equal("open", JsonNode.Parse(github.Requests[2].Body)!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Waits_out_a_429_and_a_503_then_succeeds()
    {
        var calls = 0;
        await using var github = await FakeGitHub.StartAsync((request, _) => Interlocked.Increment(ref calls) switch
        {
            1 => (429, """{"message": "too many requests"}""", null),
            2 => (503, """{"message": "unavailable"}""", null),
            _ when request.Method == "GET" => (200, "[]", null),
            _ => (201, """{"number": 8, "title": "x"}""", null),
        }, retryAfterSeconds: 0);

        var outcome = await Channel(github).SendAsync(SampleDigest.Message());

        Assert.Equal("opened issue #8 in contoso/compliance", outcome);
        Assert.Equal(["GET", "GET", "GET", "POST"], github.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task An_exhausted_rate_limit_fails_at_once_naming_when_it_resets()
    {
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        await using var github = await FakeGitHub.StartAsync((_, _) => (403, """{"message": "API rate limit exceeded for user ID 1."}""", null),
            rateLimitReset: reset);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Channel(github).SendAsync(SampleDigest.Message()));

        Assert.Single(github.Requests);
        Assert.Contains("rate limit is exhausted until " + DateTimeOffset.FromUnixTimeSeconds(reset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_test_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_sends_the_token_to_a_paging_link_on_another_host()
    {
        await using var elsewhere = await FakeGitHub.StartAsync((_, _) => (200, "[]", null));
        await using var github = await FakeGitHub.StartAsync((_, _) => (200, "[]",
            $"<{new Uri(elsewhere.BaseUri.AbsoluteUri.Replace("127.0.0.1", "localhost", StringComparison.Ordinal))}repos/contoso/compliance/issues?page=2>; rel=\"next\""));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Channel(github).SendAsync(SampleDigest.Message()));

        Assert.Contains("refusing to send the token", error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_cancelled_send_stops_before_writing_anything()
    {
        await using var github = await FakeGitHub.StartAsync((_, _) => (200, "[]", null));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Channel(github).SendAsync(SampleDigest.Message(), cancelled.Token));

        Assert.DoesNotContain(github.Requests, r => r.Method is "POST" or "PATCH");
    }

    private static GitHubIssueChannel Channel(FakeGitHub github) =>
        new(new HttpClient(), new GitHubIssueSettings("contoso", "compliance", github.BaseUri, "ghp_test_token"));

    /// <summary>A GitHub REST fake on 127.0.0.1: records each request and answers (status, JSON, Link header).</summary>
    private sealed class FakeGitHub : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Seen> _requests = new();
        private LocalHttpServer _server = null!;

        public Uri BaseUri => _server.BaseUri;

        public IReadOnlyList<Seen> Requests => _requests.ToList();

        public static async Task<FakeGitHub> StartAsync(Func<Seen, Uri, (int Status, string Json, string? Link)> answer, int? retryAfterSeconds = null, long? rateLimitReset = null)
        {
            var fake = new FakeGitHub();
            fake._server = await LocalHttpServer.StartAsync(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var seen = new Seen(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
                    context.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync());
                fake._requests.Enqueue(seen);
                var (status, json, link) = answer(seen, fake.BaseUri);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json; charset=utf-8";
                if (link is not null)
                {
                    context.Response.Headers["Link"] = link;
                }

                if (status is 429 && retryAfterSeconds is { } after)
                {
                    context.Response.Headers["Retry-After"] = after.ToString(CultureInfo.InvariantCulture);
                }

                if (status is (int)HttpStatusCode.Forbidden && rateLimitReset is { } reset)
                {
                    context.Response.Headers["X-RateLimit-Limit"] = "5000";
                    context.Response.Headers["X-RateLimit-Remaining"] = "0";
                    context.Response.Headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsync(json);
            });
            return fake;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private sealed record Seen(string Method, string Path, string Query, string Authorization, string Body);
}
