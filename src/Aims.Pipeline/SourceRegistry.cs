using Aims.Collectors.Documents;
using Aims.Collectors.Documents.Blob;
using Aims.Collectors.GitHub;
using Aims.Collectors.Microsoft.Arm;
using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Microsoft.SharePoint;
using Aims.Collectors.Sources;
using Aims.Collectors.Ticketing.GitHubIssues;
using Aims.Collectors.Ticketing.Jira;
using Aims.Collectors.Ticketing.ServiceNow;

namespace Aims.Pipeline;

/// <summary>The kinds of source the product knows, by their name under <c>Aims:Sources</c>.</summary>
public sealed class SourceRegistry(IEnumerable<IEvidenceSource> sources)
{
    public IReadOnlyList<IEvidenceSource> All { get; } = sources.ToList();

    public static SourceRegistry CreateDefault() => new(
    [
        new DocumentsSource(),
        new BlobDocumentsSource(),
        new GitHubSource(),
        new EntraIdSource(),
        new SharePointSource(),
        new AzureSource(),
        new JiraSource(),
        new ServiceNowSource(),
        new GitHubIssuesSource(),
    ]);

    public IEvidenceSource? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
