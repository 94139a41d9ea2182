using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>The ServiceNow source: reads <c>Aims:Sources:ServiceNow</c> and builds a <see cref="ServiceNowCollector"/>.</summary>
public sealed class ServiceNowSource : IEvidenceSource
{
    public string Name => ServiceNowCollector.SourceName;

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        ServiceNowSettings.IsConfigured(section),
        $"not configured: set {section.Path}:BaseUrl, Username and Password (or BearerToken)",
        () => ServiceNowSettings.Read(section).Describe());

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context) =>
        new ServiceNowCollector(ServiceNowSettings.Read(section), context);
}
