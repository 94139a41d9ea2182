using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// Governed documents in SharePoint and OneDrive document libraries (<c>Aims:Sources:SharePoint</c>), read through
/// Microsoft Graph: the same <c>document</c> items as the folder source, with the library's columns as metadata.
/// </summary>
public sealed class SharePointSource : IEvidenceSource
{
    public const string SourceName = "SharePoint";

    public string Name => SourceName;

    public string Family => "documents";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        section.GetChildren().Any(),
        $"set {section.Path}:Libraries:0:Site (a site URL) and :Library",
        () =>
        {
            var settings = SharePointSettings.Read(section, Arm.AzureSource.DescribeContext, checkFiles: false);
            return $"{settings.BaseUrl.Host}, {settings.Libraries.Count} libraries ({string.Join("; ", settings.Libraries)}), credential {settings.Credential.Kind}";
        });

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context)
    {
        var settings = SharePointSettings.Read(section, context);
        var credential = context.Credential ?? settings.Credential.Create(Environment.GetEnvironmentVariable);
        return new SharePointCollector(settings, credential, SharedHandler.Get(context.HttpHandler), context.Loggers.CreateLogger<SharePointSource>(), context.Time, context.State);
    }
}
