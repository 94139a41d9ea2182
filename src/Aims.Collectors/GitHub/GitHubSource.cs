using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.GitHub;

/// <summary>The GitHub source: reads <c>Aims:Sources:GitHub</c> and builds a <see cref="GitHubCollector"/>.</summary>
public sealed class GitHubSource : IEvidenceSource
{
    public string Name => GitHubCollector.SourceName;

    public string Family => "github";

    public SourceState Describe(IConfigurationSection section)
    {
        if (!GitHubSettings.IsConfigured(section))
        {
            return new SourceState(Family, Name, false, $"not configured: set {section.Path}:Organization and Topic, or {section.Path}:Repositories");
        }

        try
        {
            return new SourceState(Family, Name, true, GitHubSettings.Read(section, path => path, loadPrivateKey: false).Describe());
        }
        catch (InvalidSettingException ex)
        {
            return new SourceState(Family, Name, true, $"misconfigured: {ex.Message}");
        }
    }

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new GitHubCollector(GitHubSettings.Read(section, context.ResolvePath), context);
}
