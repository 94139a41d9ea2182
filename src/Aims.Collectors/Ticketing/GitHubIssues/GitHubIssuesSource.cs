using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.GitHubIssues;

/// <summary>The GitHub Issues source: reads <c>Aims:Sources:GitHubIssues</c> and builds a <see cref="GitHubIssuesCollector"/>.</summary>
public sealed class GitHubIssuesSource : IEvidenceSource
{
    public string Name => GitHubIssuesCollector.SourceName;

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        GitHubIssuesSettings.IsConfigured(section),
        $"not configured: set {section.Path}:Repositories and Token",
        () => GitHubIssuesSettings.Read(section).Describe());

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new GitHubIssuesCollector(GitHubIssuesSettings.Read(section), context);
}
