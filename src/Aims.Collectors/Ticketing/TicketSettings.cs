using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing;

/// <summary>Settings only the ticketing sources have: which kinds to collect, and per-kind values.</summary>
internal static class TicketSettings
{
    /// <summary>
    /// The kinds to collect: <c>Kinds</c> as a list of slugs or setting names (<c>incidents</c>, <c>ChangeRequests</c>),
    /// or <paramref name="defaults"/> when unset.
    /// </summary>
    public static IReadOnlyList<TicketKind> Kinds(IConfigurationSection section, IReadOnlyList<TicketKind> defaults)
    {
        var names = SourceSettings.List(section, "Kinds");
        if (names.Count == 0)
        {
            return defaults;
        }

        var kinds = new List<TicketKind>();
        foreach (var name in names)
        {
            var kind = TicketKind.Find(name) ?? throw new InvalidSettingException(SourceSettings.Key(section, "Kinds"),
                $"'{name}' is not a ticket kind (known: {string.Join(", ", TicketKind.All.Select(k => k.Slug))}).");
            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return TicketKind.All.Where(kinds.Contains).ToList();
    }

    /// <summary>Reads <c>{group}:{Kind}</c> for each kind (e.g. <c>Queries:Incidents</c>), falling back to <paramref name="defaults"/>.</summary>
    public static Dictionary<TicketKind, string> PerKind(IConfigurationSection section, string group, IReadOnlyDictionary<TicketKind, string> defaults)
    {
        var values = new Dictionary<TicketKind, string>();
        var configured = section.GetSection(group);
        foreach (var child in configured.GetChildren())
        {
            if (TicketKind.Find(child.Key) is null)
            {
                throw new InvalidSettingException(child.Path, $"'{child.Key}' is not a ticket kind (known: {string.Join(", ", TicketKind.All.Select(k => k.Setting))}).");
            }
        }

        foreach (var kind in TicketKind.All)
        {
            var value = SourceSettings.Value(configured, kind.Setting) ?? defaults.GetValueOrDefault(kind);
            if (value is not null)
            {
                values[kind] = value;
            }
        }

        return values;
    }
}
