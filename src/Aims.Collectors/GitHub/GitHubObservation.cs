using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Collectors.GitHub;

/// <summary>What one reader observed about one repository, before it becomes a draft.</summary>
/// <param name="Kind">The evidence kind.</param>
/// <param name="Locator">The API path the facts came from (relative to the API root, with a leading '/').</param>
/// <param name="Summary">One line for people.</param>
/// <param name="Facts">Normalized, compact facts (camelCase).</param>
/// <param name="Raw">The provider JSON the facts were read from, assembled when several calls contributed.</param>
/// <param name="RawBytes">The provider's exact bytes when one response is the whole raw payload.</param>
internal sealed record GitHubObservation(
    string Kind,
    string Locator,
    string Summary,
    JsonObject Facts,
    JsonNode? Raw = null,
    ReadOnlyMemory<byte>? RawBytes = null,
    EvidencePeriod? Period = null,
    DateTimeOffset? EvidenceDate = null);

/// <summary>A repository being collected: its name, its default branch (from the repository call) and the audit period.</summary>
internal sealed record RepositoryScope(RepositoryName Repository, string DefaultBranch, EvidencePeriod Period)
{
    public string Api => Repository.ApiPath;

    public string EscapedBranch => Uri.EscapeDataString(DefaultBranch);
}

/// <summary>Reads one evidence kind for one repository. Throws on failure; the collector records the error and goes on.</summary>
internal interface IRepositoryEvidenceReader
{
    string Kind { get; }

    /// <summary>The API path named in a collector-error when this reader fails.</summary>
    string Locator(RepositoryScope scope);

    Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default);
}
