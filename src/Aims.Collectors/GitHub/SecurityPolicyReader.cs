using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.security-policy</c>: a SECURITY.md where GitHub looks for one (root, <c>.github/</c>, <c>docs/</c>) and
/// whether private vulnerability reporting is enabled. If GitHub does not let us see the latter, it is recorded
/// as not enabled with the reason.
/// </summary>
internal sealed class SecurityPolicyReader(JsonRestClient client) : IRepositoryEvidenceReader
{
    public const string KindName = "github.security-policy";
    private static readonly string[] Candidates = ["SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md"];

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/contents/SECURITY.md";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        JsonObject? policy = null;
        string? policyPath = null;
        foreach (var candidate in Candidates)
        {
            try
            {
                policy = (await client.GetAsync($"{scope.Api}/contents/{candidate}", cancellationToken).ConfigureAwait(false)).ParseObject();
                policyPath = GitHubJson.String(policy, "path") ?? candidate;
                break;
            }
            catch (SourceNotFoundException)
            {
                // Not here; GitHub also looks in the next place.
            }
        }

        JsonObject? reporting = null;
        string? reportingUnknown = null;
        try
        {
            reporting = (await client.GetAsync($"{scope.Api}/private-vulnerability-reporting", cancellationToken).ConfigureAwait(false)).ParseObject();
        }
        catch (Exception ex) when (ex is SourceNotFoundException or SourceAuthException)
        {
            reportingUnknown = ex.Message;
        }

        var reportingEnabled = GitHubJson.Bool(reporting, "enabled") ?? false;
        var facts = new JsonObject
        {
            ["securityPolicyPresent"] = policy is not null,
            ["securityPolicyPath"] = policyPath,
            ["securityPolicyHtmlUrl"] = GitHubJson.String(policy, "html_url"),
            ["privateVulnerabilityReporting"] = reportingEnabled,
            ["privateVulnerabilityReportingVisible"] = reportingUnknown is null,
        };
        var summary = $"{scope.Repository}: "
            + (policy is not null ? $"security policy at {policyPath}" : "no security policy")
            + (reportingEnabled ? "; private vulnerability reporting enabled" : "; private vulnerability reporting not enabled")
            + (reportingUnknown is not null ? " (not visible to the collector)" : "");
        var raw = new JsonObject
        {
            ["securityPolicy"] = policy?.DeepClone(),
            ["privateVulnerabilityReporting"] = reporting?.DeepClone(),
            ["privateVulnerabilityReportingError"] = reportingUnknown,
        };
        return new GitHubObservation(Kind, Locator(scope), summary, facts, raw);
    }
}
