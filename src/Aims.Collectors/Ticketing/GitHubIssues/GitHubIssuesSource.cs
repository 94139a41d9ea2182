using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.GitHubIssues;

/// <summary>The GitHub Issues source: reads <c>Aims:Sources:GitHubIssues</c> and builds a <see cref="GitHubIssuesCollector"/>.</summary>
public sealed class GitHubIssuesSource : IEvidenceSource
{
    public string Name => GitHubIssuesCollector.SourceName;

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section)
    {
        if (!GitHubIssuesSettings.IsConfigured(section))
        {
            return new SourceState(Family, Name, false, $"not configured: set {section.Path}:Repositories and Token");
        }

        try
        {
            return new SourceState(Family, Name, true, GitHubIssuesSettings.Read(section).Describe());
        }
        catch (InvalidSettingException ex)
        {
            return new SourceState(Family, Name, true, $"misconfigured: {ex.Message}");
        }
    }

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new GitHubIssuesCollector(GitHubIssuesSettings.Read(section), context);
}
