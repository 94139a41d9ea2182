using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Azure.ResourceManager;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>The settings under <c>Aims:Sources:Azure</c>.</summary>
/// <param name="Environment">The ARM endpoint and token audience (public, sovereign or a test fake).</param>
/// <param name="Subscriptions">Subscription ids, lowercase.</param>
/// <param name="MaxRetries">Retries of Azure.Core's pipeline for 408/429/5xx (exponential back-off, honouring Retry-After).</param>
internal sealed record AzureSettings(ArmEnvironment Environment, IReadOnlyList<string> Subscriptions, int MaxRetries, CredentialSettings Credential)
{
    public const string DefaultEndpoint = "https://management.azure.com";

    public static AzureSettings Read(IConfigurationSection section, SourceContext context, bool checkFiles = true)
    {
        var endpoint = SettingReader.HttpsUrl(section, "Endpoint", DefaultEndpoint);
        if (endpoint.AbsolutePath != "/")
        {
            throw new InvalidSettingException(SettingReader.PathOf(section, "Endpoint"), $"'{endpoint}' must be the root of the Resource Manager endpoint, without a path.");
        }

        var audience = SettingReader.Text(section, "Audience");
        if (audience is not null && !Uri.TryCreate(audience, UriKind.Absolute, out _))
        {
            throw new InvalidSettingException(SettingReader.PathOf(section, "Audience"), $"'{audience}' is not an absolute URI.");
        }

        var subscriptions = SettingReader.List(section, "Subscriptions")
            .Select(s => SettingReader.Guid(SettingReader.PathOf(section, "Subscriptions"), s))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (subscriptions.Length == 0)
        {
            throw new InvalidSettingException(SettingReader.PathOf(section, "Subscriptions"), "at least one subscription id is required.");
        }

        return new AzureSettings(
            EnvironmentFor(endpoint, audience),
            subscriptions,
            SettingReader.Int(section, "MaxRetries", 3, 0, 10),
            CredentialSettings.Read(section, context, checkFiles));
    }

    /// <summary>The well-known clouds keep the SDK's own audience; any other endpoint uses the configured one, else its own root.</summary>
    private static ArmEnvironment EnvironmentFor(Uri endpoint, string? audience)
    {
        if (audience is null)
        {
            foreach (var known in new[] { ArmEnvironment.AzurePublicCloud, ArmEnvironment.AzureGovernment, ArmEnvironment.AzureChina })
            {
                if (string.Equals(known.Endpoint.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }
        }

        return new ArmEnvironment(endpoint, audience ?? endpoint.GetLeftPart(UriPartial.Authority));
    }
}
