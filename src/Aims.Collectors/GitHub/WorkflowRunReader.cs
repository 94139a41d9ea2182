using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.workflow-runs</c>: runs in the period of the configured evaluation workflows (matched by name, file
/// name or path), with conclusions counted. The period's start goes to the API as <c>created=&gt;=start</c>; its end is
/// applied here, so the request stays the same while the period grows day by day and an unchanged listing costs a 304.
/// </summary>
internal sealed class WorkflowRunReader(JsonRestClient client, IReadOnlyList<string> workflows) : IRepositoryEvidenceReader
{
    public const string KindName = "github.workflow-runs";

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/actions/workflows";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        var defined = new List<JsonObject>();
        await foreach (var page in client.GetPagesAsync($"{scope.Api}/actions/workflows?per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            defined.AddRange(GitHubJson.Objects(page.ParseArrayProperty("workflows")).Select(w => (JsonObject)w.DeepClone()));
        }

        var range = Uri.EscapeDataString($">={Stamp(scope.Period.From)}");
        var entries = new JsonArray();
        var rawWorkflows = new JsonArray();
        var totalRuns = 0;
        var successfulRuns = 0;
        foreach (var requested in workflows)
        {
            var workflow = defined.FirstOrDefault(w => Matches(w, requested));
            if (workflow is null || GitHubJson.Long(workflow, "id") is not { } id)
            {
                entries.Add(new JsonObject { ["requested"] = requested, ["found"] = false, ["runs"] = 0, ["conclusions"] = new JsonObject() });
                continue;
            }

            var conclusions = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var runs = 0;
            DateTimeOffset? lastRunAt = null;
            string? lastConclusion = null;
            var rawRuns = new JsonArray();
            await foreach (var page in client.GetPagesAsync($"{scope.Api}/actions/workflows/{id}/runs?created={range}&per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var run in GitHubJson.Objects(page.ParseArrayProperty("workflow_runs")))
                {
                    var created = GitHubJson.Date(run, "created_at");
                    if (created is null || created < scope.Period.From || created >= scope.Period.To)
                    {
                        continue;
                    }

                    var outcome = GitHubJson.String(run, "conclusion") ?? GitHubJson.String(run, "status") ?? "unknown";
                    conclusions[outcome] = conclusions.GetValueOrDefault(outcome) + 1;
                    runs++;
                    if (lastRunAt is null || created > lastRunAt)
                    {
                        lastRunAt = created;
                        lastConclusion = outcome;
                    }

                    rawRuns.Add(new JsonObject
                    {
                        ["id"] = GitHubJson.Long(run, "id"),
                        ["run_number"] = GitHubJson.Long(run, "run_number"),
                        ["event"] = GitHubJson.String(run, "event"),
                        ["status"] = GitHubJson.String(run, "status"),
                        ["conclusion"] = GitHubJson.String(run, "conclusion"),
                        ["head_branch"] = GitHubJson.String(run, "head_branch"),
                        ["head_sha"] = GitHubJson.String(run, "head_sha"),
                        ["created_at"] = GitHubJson.String(run, "created_at"),
                        ["html_url"] = GitHubJson.String(run, "html_url"),
                    });
                }
            }

            totalRuns += runs;
            successfulRuns += conclusions.GetValueOrDefault("success");
            var counted = new JsonObject();
            foreach (var (outcome, n) in conclusions)
            {
                counted[outcome] = n;
            }

            entries.Add(new JsonObject
            {
                ["requested"] = requested,
                ["found"] = true,
                ["id"] = id,
                ["name"] = GitHubJson.String(workflow, "name"),
                ["path"] = GitHubJson.String(workflow, "path"),
                ["state"] = GitHubJson.String(workflow, "state"),
                ["runs"] = runs,
                ["conclusions"] = counted,
                ["lastRunAt"] = GitHubJson.Timestamp(lastRunAt),
                ["lastConclusion"] = lastConclusion,
            });
            rawWorkflows.Add(new JsonObject { ["workflow"] = workflow.DeepClone(), ["runs"] = rawRuns });
        }

        var facts = new JsonObject
        {
            ["workflows"] = entries,
            ["totalRuns"] = totalRuns,
            ["successfulRuns"] = successfulRuns,
            ["workflowsWithoutRuns"] = entries.Count(e => e!["runs"]!.GetValue<int>() == 0),
        };
        var summary = $"{scope.Repository}: {totalRuns} evaluation run(s) in the period, {successfulRuns} successful, across {workflows.Count} configured workflow(s)";
        return new GitHubObservation(Kind, Locator(scope), summary, facts, new JsonObject { ["workflows"] = rawWorkflows }, Period: scope.Period);
    }

    private static bool Matches(JsonObject workflow, string requested)
    {
        var name = GitHubJson.String(workflow, "name");
        var path = GitHubJson.String(workflow, "path") ?? "";
        return string.Equals(name, requested, StringComparison.OrdinalIgnoreCase)
            || string.Equals(path, requested, StringComparison.OrdinalIgnoreCase)
            || string.Equals(Path.GetFileName(path), requested, StringComparison.OrdinalIgnoreCase);
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
