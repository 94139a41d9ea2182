using System.Reflection;
using System.Text.Json;

namespace Aims.Evidence.Catalog;

/// <summary>The 38 Annex A controls and the clause records every surveillance audit checks, shipped as data.</summary>
public sealed class ControlCatalog
{
    private readonly Dictionary<string, Control> _byId;

    private ControlCatalog(IReadOnlyList<Control> controls)
    {
        Controls = controls;
        _byId = controls.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
    }

    public static ControlCatalog Default { get; } = Load();

    /// <summary>Controls in catalog order: Annex A by number, then the clause records.</summary>
    public IReadOnlyList<Control> Controls { get; }

    public bool Contains(string id) => _byId.ContainsKey(id);

    public Control? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The canonical spelling of a control id (e.g. "a.6.1.3" → "A.6.1.3").</summary>
    public string Normalize(string id) => _byId.TryGetValue(id, out var c) ? c.Id : id;

    private static ControlCatalog Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Aims.Evidence.Catalog.catalog.json")
            ?? throw new InvalidOperationException("The control catalog resource is missing from Aims.Evidence.");
        using var doc = JsonDocument.Parse(stream);
        var list = new List<Control>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var type = e.GetProperty("type").GetString() == "clause" ? ControlType.Clause : ControlType.AnnexA;
            list.Add(new Control(e.GetProperty("id").GetString()!, e.GetProperty("title").GetString()!, type, e.GetProperty("group").GetString()!));
        }

        return new ControlCatalog(list);
    }
}
