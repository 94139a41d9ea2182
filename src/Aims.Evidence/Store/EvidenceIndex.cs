using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Store;

/// <summary>One subject's latest observation of a kind, as the index records it.</summary>
public sealed record IndexEntry(string SubjectKey, string ItemId, string ItemSha256, DateTimeOffset ObservedAt, bool IsError)
{
    public static IndexEntry For(EvidenceItem item) => new(item.Subject.Key, item.Id, item.Sha256, item.ObservedAt, item.IsCollectorError);

    /// <summary>
    /// True when this observation replaces <paramref name="current"/> as the subject's latest: the newer observation wins;
    /// at the same time a successful observation beats a collector error (the source did answer). Only two observations
    /// alike in both are ordered by item id, so that every writer and every rebuild picks the same one.
    /// </summary>
    public bool Supersedes(IndexEntry current)
    {
        var byTime = ObservedAt.UtcTicks.CompareTo(current.ObservedAt.UtcTicks);
        if (byTime != 0)
        {
            return byTime > 0;
        }

        if (IsError != current.IsError)
        {
            return !IsError;
        }

        return string.CompareOrdinal(ItemId, current.ItemId) > 0;
    }
}

/// <summary>
/// The latest evidence per subject for one kind. Gap analysis reads this instead of scanning items.
/// Merging keeps, per subject, the entry that <see cref="IndexEntry.Supersedes"/> the others.
/// </summary>
public sealed class EvidenceIndex
{
    private readonly SortedDictionary<string, IndexEntry> _entries;

    public EvidenceIndex(string kind, IEnumerable<IndexEntry>? entries = null)
    {
        Kind = kind;
        _entries = new SortedDictionary<string, IndexEntry>(StringComparer.Ordinal);
        foreach (var e in entries ?? [])
        {
            Merge(e);
        }
    }

    public string Kind { get; }

    public IReadOnlyCollection<IndexEntry> Entries => _entries.Values;

    public int Count => _entries.Count;

    /// <summary>Records an observation if it is newer than what the index holds. Returns true when the index changed.</summary>
    public bool Merge(IndexEntry entry)
    {
        if (_entries.TryGetValue(entry.SubjectKey, out var current) && !entry.Supersedes(current))
        {
            return false;
        }

        _entries[entry.SubjectKey] = entry;
        return true;
    }

    public byte[] ToBytes()
    {
        var entries = new JsonArray();
        foreach (var e in _entries.Values)
        {
            entries.Add(new JsonObject
            {
                ["subject"] = e.SubjectKey,
                ["itemId"] = e.ItemId,
                ["sha256"] = e.ItemSha256,
                ["observedAt"] = CanonicalJson.Timestamp(e.ObservedAt),
                ["error"] = e.IsError,
            });
        }

        return CanonicalJson.ToBytes(new JsonObject { ["kind"] = Kind, ["entries"] = entries });
    }

    public static EvidenceIndex Parse(string kind, ReadOnlySpan<byte> utf8)
    {
        try
        {
            var root = JsonNode.Parse(utf8)!.AsObject();
            var entries = root["entries"]!.AsArray().Select(n => new IndexEntry(
                n!["subject"]!.GetValue<string>(),
                n["itemId"]!.GetValue<string>(),
                n["sha256"]!.GetValue<string>(),
                DateTimeOffset.Parse(n["observedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
                n["error"]?.GetValue<bool>() ?? false));
            return new EvidenceIndex(kind, entries);
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"The index for kind '{kind}' is malformed: {ex.Message}", ex);
        }
    }
}
