using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>The ServiceNow source: reads <c>Aims:Sources:ServiceNow</c> and builds a <see cref="ServiceNowCollector"/>.</summary>
public sealed class ServiceNowSource : IEvidenceSource
{
    public string Name => ServiceNowCollector.SourceName;

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section)
    {
        if (!ServiceNowSettings.IsConfigured(section))
        {
            return new SourceState(Family, Name, false, $"not configured: set {section.Path}:BaseUrl, Username and Password (or BearerToken)");
        }

        try
        {
            return new SourceState(Family, Name, true, ServiceNowSettings.Read(section).Describe());
        }
        catch (InvalidSettingException ex)
        {
            return new SourceState(Family, Name, true, $"misconfigured: {ex.Message}");
        }
    }

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new ServiceNowCollector(ServiceNowSettings.Read(section), context);
}
