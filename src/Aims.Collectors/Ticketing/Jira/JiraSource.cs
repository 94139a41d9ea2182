using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>The Jira source: reads <c>Aims:Sources:Jira</c> and builds a <see cref="JiraCollector"/>.</summary>
public sealed class JiraSource : IEvidenceSource
{
    public string Name => JiraCollector.SourceName;

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        JiraSettings.IsConfigured(section),
        $"not configured: set {section.Path}:BaseUrl, Email and ApiToken (or BearerToken)",
        () => JiraSettings.Read(section).Describe());

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new JiraCollector(JiraSettings.Read(section), context);
}
