using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// The Entra ID source (<c>Aims:Sources:EntraId</c>): AI-governance groups, privileged roles, AI apps, third-party
/// apps and consent grants, access reviews, Conditional Access and directory audit logs, read through Microsoft Graph.
/// </summary>
public sealed class EntraIdSource : IEvidenceSource
{
    public const string SourceName = "EntraId";

    public string Name => SourceName;

    public string Family => "entra";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        section.Exists(),
        "not configured",
        () =>
        {
            var settings = EntraIdSettings.Read(section, Arm.AzureSource.DescribeContext, checkFiles: false);
            return $"{settings.BaseUrl.Host}, {settings.Groups.Count} groups, {settings.Apps.Count} apps, tags {string.Join("/", settings.AppTags)}, {settings.PrivilegedRoles.Count} privileged roles, credential {settings.Credential.Kind}";
        });

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context)
    {
        var settings = EntraIdSettings.Read(section, context);
        var credential = context.Credential ?? settings.Credential.Create(Environment.GetEnvironmentVariable, context.Time);
        return new EntraIdCollector(settings, credential, SharedHandler.Get(context.HttpHandler), context.Loggers.CreateLogger<EntraIdSource>(), context.Time, context.State);
    }
}
