using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Aims.Pipeline;

/// <summary>
/// Finds settings under <c>Aims</c> that nothing read, so a misspelt key (<c>Documents:Pth</c>, <c>Aims:Organisation</c>)
/// is warned about instead of silently ignored. Hand <see cref="Configuration"/> to everything that reads settings
/// (AimsSettings, the pipeline and its sources); it remembers every key asked for, whether or not it was set.
/// </summary>
/// <param name="configuration">The settings as loaded.</param>
/// <param name="readElsewhere">Sections another program reads (the CLI passes <see cref="FunctionsAppSections"/>).</param>
public sealed class SettingsAudit(IConfiguration configuration, IReadOnlyCollection<string>? readElsewhere = null)
{
    /// <summary>Sections only the Functions app reads: the CLI, which shares the configuration file, leaves them be.</summary>
    public static readonly string[] FunctionsAppSections = ["Aims:Store", "Aims:Notifications", "Aims:Bundles", "Aims:Events", "Aims:Runs"];

    private readonly IReadOnlyCollection<string> _readElsewhere = readElsewhere ?? [];

    private readonly ConcurrentDictionary<string, byte> _asked = new(StringComparer.OrdinalIgnoreCase);

    public IConfiguration Configuration => new Recording(configuration, "", this);

    /// <summary>One line per setting that is set but was never asked for, with the closest key that was.</summary>
    public IReadOnlyList<string> UnknownSettings()
    {
        var warnings = new List<string>();
        foreach (var (path, value) in configuration.AsEnumerable().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value is null
                || !path.StartsWith(AimsSettings.SectionName + ":", StringComparison.OrdinalIgnoreCase)
                || _asked.ContainsKey(path)
                || _readElsewhere.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || path.StartsWith(p + ":", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var closest = SpellingSuggestion.Closest(path, _asked.Keys);
            warnings.Add($"{path} is not a setting AIMS reads here; it is ignored." + (closest is null ? "" : $" Did you mean {closest}?"));
        }

        return warnings;
    }

    private void Asked(string path) => _asked.TryAdd(path, 0);

    private class Recording(IConfiguration inner, string path, SettingsAudit audit) : IConfiguration
    {
        public string? this[string key]
        {
            get
            {
                audit.Asked(Combine(key));
                return inner[key];
            }

            set => inner[key] = value;
        }

        public IEnumerable<IConfigurationSection> GetChildren() => inner.GetChildren().Select(c => new RecordingSection(c, audit));

        public IChangeToken GetReloadToken() => inner.GetReloadToken();

        public IConfigurationSection GetSection(string key) => new RecordingSection(inner.GetSection(key), audit);

        private string Combine(string key) => path.Length == 0 ? key : ConfigurationPath.Combine(path, key);
    }

    private sealed class RecordingSection(IConfigurationSection inner, SettingsAudit audit) : Recording(inner, inner.Path, audit), IConfigurationSection
    {
        private readonly SettingsAudit _audit = audit;

        public string Key => inner.Key;

        public string Path => inner.Path;

        public string? Value
        {
            get
            {
                _audit.Asked(inner.Path);
                return inner.Value;
            }

            set => inner.Value = value;
        }
    }
}
