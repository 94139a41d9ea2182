using System.Globalization;
using Aims.Evidence;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubResilienceTests
{
    private const string Repo = "contoso/fraud-model";

    private static readonly string[] RepositoryKinds =
    [
        "github.branch-protection", "github.codeowners", "github.environments", "github.pull-requests", "github.releases",
        "github.repository", "github.security-alerts", "github.security-policy",
    ];

    private static async Task<GitHubHarness> StartAsync()
    {
        var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        return h;
    }

    public sealed class FailedRepository
    {
        [Fact]
        public async Task A_500_on_one_repository_yields_its_collector_errors_while_the_others_produce_evidence()
        {
            await using var h = await StartAsync();
            h.Fake.AddRepository("contoso", "churn-model");
            h.Fake.AddRepository("contoso", "chatbot");
            h.Fake.Get("repos/contoso/churn-model", FakeResponse.Error(500, "Server Error"));

            var recorder = await h.CollectAsync("contoso/chatbot,contoso/churn-model,contoso/fraud-model");

            var errors = await h.ErrorsAsync("contoso/churn-model");
            Assert.Equal(RepositoryKinds, errors.Select(e => e.Facts["attemptedKind"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
            Assert.All(errors, e =>
            {
                Assert.Equal("repository", e.Subject.Type);
                Assert.Contains("/repos/contoso/churn-model", e.Facts["error"]!.GetValue<string>());
                Assert.Contains("500", e.Facts["error"]!.GetValue<string>());
            });
            Assert.Equal(8, recorder.Errors);
            foreach (var healthy in new[] { "contoso/chatbot", Repo })
            {
                Assert.Empty(await h.ErrorsAsync(healthy));
                Assert.Equal(RepositoryKinds, (await h.ItemsAsync()).Where(i => i.Subject.Id == healthy).Select(i => i.Kind).Order(StringComparer.Ordinal).ToArray());
            }

            // The 500 was retried (bounded) before giving up.
            Assert.Equal(5, h.Fake.RequestsTo("repos/contoso/churn-model").Count);
        }

        [Fact]
        public async Task A_500_on_reviews_fails_only_the_pull_request_kind_of_that_repository()
        {
            await using var h = await StartAsync();
            h.Fake.Get("repos/contoso/fraud-model/pulls/12/reviews", FakeResponse.Error(500, "Server Error"));

            await h.CollectAsync(Repo);

            var error = Assert.Single(await h.ErrorsAsync(Repo));
            Assert.Equal(EvidenceKinds.GitHubPullRequests, error.Facts["attemptedKind"]!.GetValue<string>());
            Assert.Equal("/repos/contoso/fraud-model/pulls?state=closed", error.Source.Locator);
            Assert.Contains("/repos/contoso/fraud-model/pulls/12/reviews", error.Facts["error"]!.GetValue<string>());
            Assert.Contains(await h.ItemsAsync(), i => i.Kind == EvidenceKinds.GitHubBranchProtection && !i.IsCollectorError);
        }

        [Fact]
        public async Task Malformed_json_is_a_collector_error_naming_the_path()
        {
            await using var h = await StartAsync();
            h.Fake.Get("repos/contoso/fraud-model/codeowners/errors", FakeResponse.Ok("{\"errors\": [ {\"line\": 4, "));

            await h.CollectAsync(Repo);

            var error = Assert.Single(await h.ErrorsAsync(Repo));
            Assert.Equal("github.codeowners", error.Facts["attemptedKind"]!.GetValue<string>());
            Assert.Contains("GET /repos/contoso/fraud-model/codeowners/errors", error.Facts["error"]!.GetValue<string>());
            Assert.Contains("malformed JSON", error.Facts["error"]!.GetValue<string>());
        }

        [Fact]
        public async Task A_forbidden_protection_read_names_the_missing_permission()
        {
            await using var h = await StartAsync();
            h.Fake.Get("repos/contoso/fraud-model/branches/main/protection", FakeResponse.Error(403, "Resource not accessible by integration",
                new Dictionary<string, string> { ["x-accepted-github-permissions"] = "administration=read" }));

            await h.CollectAsync(Repo);

            var error = Assert.Single(await h.ErrorsAsync(Repo));
            Assert.Equal(EvidenceKinds.GitHubBranchProtection, error.Facts["attemptedKind"]!.GetValue<string>());
            var message = error.Facts["error"]!.GetValue<string>();
            Assert.Contains("/repos/contoso/fraud-model/branches/main/protection", message);
            Assert.Contains("administration=read", message);
            Assert.Contains("Resource not accessible by integration", message);
        }
    }

    public sealed class RateLimits
    {
        [Fact]
        public async Task A_429_with_retry_after_is_waited_out_then_succeeds()
        {
            await using var h = await StartAsync();
            h.Fake.Sequence("repos/contoso/fraud-model",
                FakeResponse.Error(429, "Too many requests", new Dictionary<string, string> { ["retry-after"] = "7" }),
                FakeResponse.Ok(Fixtures.Text("repository.json", ("owner", "contoso"), ("repo", "fraud-model"))));

            await h.CollectAsync(Repo);

            Assert.Contains(TimeSpan.FromSeconds(7), h.Clock.Waits);
            Assert.Empty(await h.ErrorsAsync(Repo));
            Assert.Equal(2, h.Fake.RequestsTo("repos/contoso/fraud-model").Count);
        }

        [Fact]
        public async Task A_secondary_rate_limit_403_waits_at_least_a_minute_then_succeeds()
        {
            await using var h = await StartAsync();
            h.Fake.Sequence("repos/contoso/fraud-model/rulesets",
                FakeResponse.Error(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."),
                FakeResponse.Ok("[]"));

            await h.CollectAsync(Repo);

            Assert.Contains(h.Clock.Waits, w => w >= TimeSpan.FromSeconds(60));
            Assert.Empty(await h.ErrorsAsync(Repo));
            Assert.Equal(2, h.Fake.RequestsTo("repos/contoso/fraud-model/rulesets").Count);
        }

        [Fact]
        public async Task A_spent_primary_quota_waits_until_the_reset_then_succeeds()
        {
            await using var h = await StartAsync();
            var reset = h.Clock.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            h.Fake.Sequence("repos/contoso/fraud-model",
                FakeResponse.Error(403, "API rate limit exceeded for installation ID 1234.", new Dictionary<string, string>
                {
                    ["x-ratelimit-limit"] = "5000",
                    ["x-ratelimit-remaining"] = "0",
                    ["x-ratelimit-used"] = "5000",
                    ["x-ratelimit-reset"] = reset,
                }),
                FakeResponse.Ok(Fixtures.Text("repository.json", ("owner", "contoso"), ("repo", "fraud-model"))));

            await h.CollectAsync(Repo);

            var wait = Assert.Single(h.Clock.Waits);
            Assert.InRange(wait, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(2));
            Assert.Empty(await h.ErrorsAsync(Repo));
        }

        [Fact]
        public async Task A_quota_spent_by_a_successful_response_pauses_the_next_request_until_the_reset()
        {
            await using var h = await StartAsync();
            var reset = h.Clock.GetUtcNow().AddSeconds(90).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            h.Fake.Get("repos/contoso/fraud-model", FakeResponse.Ok(Fixtures.Text("repository.json", ("owner", "contoso"), ("repo", "fraud-model")),
                new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset }));

            await h.CollectAsync(Repo);

            var wait = Assert.Single(h.Clock.Waits);
            Assert.InRange(wait, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(92));
            Assert.Empty(await h.ErrorsAsync(Repo));
        }

        [Fact]
        public async Task A_reset_beyond_the_allowed_wait_is_recorded_as_throttled_without_waiting()
        {
            await using var h = await StartAsync();
            h.Settings["MaxRateLimitWait"] = "00:15:00";
            var reset = h.Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            h.Fake.Get("repos/contoso/fraud-model", FakeResponse.Error(403, "API rate limit exceeded", new Dictionary<string, string>
            {
                ["x-ratelimit-remaining"] = "0",
                ["x-ratelimit-reset"] = reset,
            }));

            await h.CollectAsync(Repo);

            Assert.Empty(h.Clock.Waits);
            var errors = await h.ErrorsAsync(Repo);
            Assert.Equal(8, errors.Count);
            Assert.All(errors, e => Assert.Contains("rate limit", e.Facts["error"]!.GetValue<string>()));
            Assert.Single(h.Fake.RequestsTo("repos/contoso/fraud-model"));
        }
    }
}
