using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// The Azure source (<c>Aims:Sources:Azure</c>): AI resources, model deployments, diagnostic settings, role
/// assignments, policy compliance and the activity log of the configured subscriptions, read through Resource Manager.
/// </summary>
public sealed class AzureSource : IEvidenceSource
{
    public const string SourceName = "Azure";

    public string Name => SourceName;

    public string Family => "azure";

    /// <summary>What describing a source for the digest reads settings with: no files are opened, nothing is logged.</summary>
    internal static SourceContext DescribeContext { get; } = new(TimeProvider.System, NullLoggerFactory.Instance, Directory.GetCurrentDirectory());

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        section.Exists(),
        "not configured",
        () =>
        {
            var settings = AzureSettings.Read(section, DescribeContext, checkFiles: false);
            return $"{settings.Environment.Endpoint.Host}, {settings.Subscriptions.Count} subscriptions, credential {settings.Credential.Kind}";
        });

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context)
    {
        var settings = AzureSettings.Read(section, context);
        var credential = context.Credential ?? settings.Credential.Create(Environment.GetEnvironmentVariable, context.Time);
        return new AzureCollector(settings, credential, context.HttpHandler, context.Time, context.Loggers.CreateLogger<AzureSource>());
    }
}
