using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>A service principal that is an AI system, and how it was found (<c>tag:ai-system</c>, <c>configured</c>).</summary>
internal sealed record AiApp(ServicePrincipal ServicePrincipal, IReadOnlyList<string> DiscoveredBy)
{
    public string Id => ServicePrincipal.Id ?? "";

    public string AppId => ServicePrincipal.AppId ?? Id;

    public string DisplayName => ServicePrincipal.DisplayName ?? AppId;

    public Aims.Evidence.Items.Subject Subject => EntraSubjects.App(AppId, ServicePrincipal.DisplayName);
}
