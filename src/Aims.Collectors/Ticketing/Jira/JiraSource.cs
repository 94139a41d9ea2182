using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>The Jira source: reads <c>Aims:Sources:Jira</c> and builds a <see cref="JiraCollector"/>.</summary>
public sealed class JiraSource : IEvidenceSource
{
    public string Name => JiraCollector.SourceName;

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section)
    {
        if (!JiraSettings.IsConfigured(section))
        {
            return new SourceState(Family, Name, false, $"not configured: set {section.Path}:BaseUrl, Email and ApiToken (or BearerToken)");
        }

        try
        {
            return new SourceState(Family, Name, true, JiraSettings.Read(section).Describe());
        }
        catch (InvalidSettingException ex)
        {
            return new SourceState(Family, Name, true, $"misconfigured: {ex.Message}");
        }
    }

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new JiraCollector(JiraSettings.Read(section), context);
}
