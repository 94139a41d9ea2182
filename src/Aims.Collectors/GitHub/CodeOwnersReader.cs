using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.codeowners</c>: whether the default branch has a CODEOWNERS file and whether GitHub found errors in it.
/// A 404 from <c>codeowners/errors</c> means there is no CODEOWNERS file: a fact, not a failure.
/// </summary>
internal sealed class CodeOwnersReader(JsonRestClient client) : IRepositoryEvidenceReader
{
    public const string KindName = "github.codeowners";
    private const int MaxListedErrors = 20;

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/codeowners/errors";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        RestResponse response;
        try
        {
            response = await client.GetAsync($"{scope.Api}/codeowners/errors?ref={scope.EscapedBranch}", cancellationToken).ConfigureAwait(false);
        }
        catch (SourceNotFoundException ex)
        {
            var none = new JsonObject { ["present"] = false, ["valid"] = false, ["errors"] = 0, ["errorDetails"] = new JsonArray() };
            return new GitHubObservation(Kind, Locator(scope), $"{scope.Repository}: no CODEOWNERS file", none,
                new JsonObject { ["notFound"] = ex.Message });
        }

        var errors = response.ParseArrayProperty("errors");
        var details = new JsonArray();
        foreach (var error in GitHubJson.Objects(errors).Take(MaxListedErrors))
        {
            details.Add(new JsonObject
            {
                ["path"] = GitHubJson.String(error, "path"),
                ["line"] = GitHubJson.Long(error, "line"),
                ["kind"] = GitHubJson.String(error, "kind"),
            });
        }

        var facts = new JsonObject
        {
            ["present"] = true,
            ["valid"] = errors.Count == 0,
            ["errors"] = errors.Count,
            ["errorDetails"] = details,
        };
        var summary = errors.Count == 0
            ? $"{scope.Repository}: CODEOWNERS present, no errors"
            : $"{scope.Repository}: CODEOWNERS present with {errors.Count} error(s)";
        return new GitHubObservation(Kind, Locator(scope), summary, facts, RawBytes: response.Body);
    }
}
