using Octokit;
using Octokit.Internal;

namespace Aims.Functions.Notifications;

/// <summary>
/// Keeps one GitHub issue holding the latest digest (Auditree's habit) through Octokit's typed issue API: finds it
/// among the repository's issues labelled <c>aims-digest</c> by its title, replaces its body (reopening it if someone
/// closed it), and opens it when there is none. Retries and rate limits are handled under Octokit by
/// <see cref="GitHubRetryHandler"/>. Evidence reads from GitHub do not use Octokit (docs/github.md says why).
/// </summary>
public sealed class GitHubIssueChannel(HttpClient http, GitHubIssueSettings settings, TimeProvider? time = null) : IDigestChannel
{
    public const string Label = "aims-digest";

    /// <summary>GitHub refuses issue bodies over 65,536 characters.</summary>
    private const int MaxBodyChars = 65_000;

    /// <summary>Labelled issues read at most (100 per page): the digest issue is one of very few.</summary>
    private const int MaxPages = 20;

    public string Name => "GitHub issue";

    public async Task<string> SendAsync(DigestMessage digest, CancellationToken cancellationToken = default)
    {
        using var handler = new GitHubRetryHandler(http, settings.BaseUrl, time ?? TimeProvider.System, cancellationToken);
        var connection = new Connection(
            new ProductHeaderValue("aims-evidence"),
            settings.BaseUrl,
            new InMemoryCredentialStore(new Credentials(settings.Token, AuthenticationType.Bearer)),
            new HttpClientAdapter(() => handler),
            new SimpleJsonSerializer());
        var issues = new GitHubClient(connection).Issue;
        var body = Body(digest);
        try
        {
            var existing = await FindAsync(issues, digest.Title).ConfigureAwait(false);
            if (existing is { } number)
            {
                var update = new IssueUpdate { Body = body, State = ItemState.Open };
                await issues.Update(settings.Owner, settings.Repository, number, update).ConfigureAwait(false);
                return $"updated issue #{number} in {settings.Owner}/{settings.Repository}";
            }

            var create = new NewIssue(digest.Title) { Body = body };
            create.Labels.Add(Label);
            var created = await issues.Create(settings.Owner, settings.Repository, create).ConfigureAwait(false);
            return $"opened issue #{created.Number} in {settings.Owner}/{settings.Repository}";
        }
        catch (RateLimitExceededException ex)
        {
            throw new HttpRequestException($"{Name}: GitHub's rate limit is exhausted until {ex.Reset:yyyy-MM-dd HH:mm:ss} UTC; the digest issue was not updated.", ex);
        }
        catch (SecondaryRateLimitExceededException ex)
        {
            throw new HttpRequestException($"{Name}: GitHub's secondary rate limit refused the request; the digest issue was not updated.", ex);
        }
        catch (ApiException ex)
        {
            throw new HttpRequestException($"{Name}: GitHub answered {(int)ex.StatusCode} for {settings.Owner}/{settings.Repository}: {ex.Message}", ex, ex.StatusCode);
        }
    }

    /// <summary>The number of the digest issue among the labelled issues (open and closed, pull requests left out); null when there is none.</summary>
    private async Task<int?> FindAsync(IIssuesClient issues, string title)
    {
        var request = new RepositoryIssueRequest { State = ItemStateFilter.All, Filter = IssueFilter.All };
        request.Labels.Add(Label);
        var labelled = await issues.GetAllForRepository(settings.Owner, settings.Repository, request, new ApiOptions { PageSize = 100, PageCount = MaxPages })
            .ConfigureAwait(false);
        return labelled.FirstOrDefault(i => i.PullRequest is null && i.Title == title)?.Number;
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
}
