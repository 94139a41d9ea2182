using Aims.Evidence;
using Aims.Evidence.Items;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Microsoft.Settings;

/// <summary>Reads and validates the settings the Microsoft sources share; every error names the full setting path.</summary>
internal static class SettingReader
{
    public static string PathOf(IConfigurationSection section, string key) => $"{section.Path}:{key}";

    /// <summary>A list setting: either a JSON array (<c>Groups:0</c>, <c>Groups:1</c>) or one comma-separated value (environment variables).</summary>
    public static IReadOnlyList<string> List(IConfigurationSection section, string key)
    {
        var child = section.GetSection(key);
        var values = new List<string>();
        if (!string.IsNullOrWhiteSpace(child.Value))
        {
            values.AddRange(child.Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (var item in child.GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(item.Value))
            {
                values.Add(item.Value.Trim());
            }
        }

        return values.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    public static string? Text(IConfigurationSection section, string key) =>
        section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>An absolute https URL (bearer tokens are never sent over plain http).</summary>
    public static Uri HttpsUrl(IConfigurationSection section, string key, string defaultValue)
    {
        var setting = PathOf(section, key);
        var text = Text(section, key) ?? defaultValue;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new InvalidSettingException(setting, $"'{SecretRedactor.ShowUrl(text)}' is not an absolute URL.");
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidSettingException(setting, $"'{SecretRedactor.ShowUrl(text)}' must use https: access tokens are only sent over https.");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            throw new InvalidSettingException(setting, $"'{SecretRedactor.ShowUrl(text)}' must not have a query or fragment.");
        }

        return url;
    }

    /// <summary>A directory object or subscription id: a GUID, returned lowercase. Ids go into OData filters, so nothing else is accepted.</summary>
    public static string Guid(string setting, string value) =>
        System.Guid.TryParse(value, out var id)
            ? id.ToString("D")
            : throw new InvalidSettingException(setting, $"'{value}' is not a GUID.");

    public static int Int(IConfigurationSection section, string key, int defaultValue, int min, int max)
    {
        var text = Text(section, key);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidSettingException(PathOf(section, key), $"'{text}' must be a whole number from {min} to {max}.");
    }
}
