using System.Globalization;
using System.Net;
using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Sources;

/// <summary>Reading and validating the settings every HTTP source shares. Errors name the full setting path.</summary>
internal static class SourceSettings
{
    public static string Key(IConfigurationSection section, string name) => $"{section.Path}:{name}";

    public static string? Value(IConfigurationSection section, string name) =>
        section[name] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>A list given either as a comma-separated string or as an array (<c>Name:0</c>, <c>Name:1</c>...).</summary>
    public static List<string> List(IConfigurationSection section, string name)
    {
        IEnumerable<string?> raw = section[name] is { } single
            ? single.Split(',')
            : section.GetSection(name).GetChildren()
                .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => c.Value);
        return raw.Select(s => s?.Trim()).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// An http(s) API root without query, fragment or user info, always ending in '/'. Path prefixes (a Jira Data Center
    /// context path, <c>https://api.atlassian.com/ex/jira/{cloudId}</c>, GitHub Enterprise's <c>/api/v3</c>) are kept.
    /// Plain http is refused except for this machine: credentials travel in headers.
    /// </summary>
    public static Uri? BaseUrl(IConfigurationSection section, string example, Uri? fallback = null)
    {
        var key = Key(section, "BaseUrl");
        var text = Value(section, "BaseUrl");
        if (text is null)
        {
            return fallback;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidSettingException(key, $"'{SecretRedactor.ShowUrl(text)}' is not an http(s) URL without query or credentials, e.g. {example}.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new InvalidSettingException(key, $"'{SecretRedactor.ShowUrl(text)}' must use https (plain http is allowed only for localhost).");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>A credential value: no whitespace or control characters (a pasted line break breaks the header).</summary>
    public static string? Secret(IConfigurationSection section, string name)
    {
        var value = Value(section, name);
        if (value is not null && value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidSettingException(Key(section, name), "contains whitespace or control characters.");
        }

        return value;
    }

    public static int Int(IConfigurationSection section, string name, int fallback, int min, int max)
    {
        var text = Value(section, name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidSettingException(Key(section, name), $"'{text}' must be a whole number from {min} to {max}.");
    }

    /// <summary>The longest rate-limit wait (default 15 minutes), as <c>00:15:00</c> or <c>PT15M</c>.</summary>
    public static TimeSpan MaxRateLimitWait(IConfigurationSection section)
    {
        var text = Value(section, "MaxRateLimitWait");
        if (text is null)
        {
            return TimeSpan.FromMinutes(15);
        }

        TimeSpan wait;
        var ok = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out wait);
        if (!ok && IsoDuration.TryParse(text, out var iso) && iso.Years == 0 && iso.Months == 0)
        {
            wait = TimeSpan.FromDays(iso.Days) + iso.Time;
            ok = true;
        }

        return ok && wait >= TimeSpan.Zero && wait <= TimeSpan.FromHours(6)
            ? wait
            : throw new InvalidSettingException(Key(section, "MaxRateLimitWait"), $"'{text}' must be a duration from 0 to 6 hours, e.g. 00:15:00 or PT15M.");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}
