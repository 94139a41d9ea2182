using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.GitHub;

/// <summary>The GitHub source: reads <c>Aims:Sources:GitHub</c> and builds a <see cref="GitHubCollector"/>.</summary>
public sealed class GitHubSource : IEvidenceSource
{
    public string Name => GitHubCollector.SourceName;

    public string Family => "github";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        GitHubSettings.IsConfigured(section),
        $"not configured: set {section.Path}:Organization and Topic, or {section.Path}:Repositories",
        () => GitHubSettings.Read(section, path => path, loadPrivateKey: false).Describe());

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new GitHubCollector(GitHubSettings.Read(section, context.ResolvePath), context);
}
