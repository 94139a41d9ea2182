namespace Aims.Reporting.Bundle;

/// <summary>The names of the files inside an auditor bundle (docs/bundle-format.md describes each).</summary>
public static class BundleLayout
{
    public const string ItemsFolder = "evidence/items/";
    public const string RawFolder = "evidence/raw/";
    public const string LedgerEntries = "ledger/entries.jsonl";
    public const string LedgerReadme = "ledger/README.txt";
    public const string ControlsCsv = "controls.csv";
    public const string IndexHtml = "index.html";
    public const string Manifest = "manifest.json";
    public const string Sha256Sums = "SHA256SUMS";

    public static string ItemPath(string itemId) => $"{ItemsFolder}{itemId}.json";

    /// <summary>A raw payload's file: its SHA-256 plus the extension of its media type, so it opens in the right program.</summary>
    public static string RawPath(string sha256, string? mediaType) => $"{RawFolder}{sha256}{RawExtensions.For(mediaType)}";

    /// <summary>The item id of an item file's path, or null when the path is not an item file.</summary>
    public static string? ItemIdFromPath(string path) =>
        path.StartsWith(ItemsFolder, StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal) && path.IndexOf('/', ItemsFolder.Length) < 0
            ? path[ItemsFolder.Length..^".json".Length]
            : null;

    /// <summary>The SHA-256 a raw payload's path names (the file name before its extension), or null when the path is not a raw payload.</summary>
    public static string? RawShaFromPath(string path)
    {
        if (!path.StartsWith(RawFolder, StringComparison.Ordinal) || path.IndexOf('/', RawFolder.Length) >= 0)
        {
            return null;
        }

        var name = path[RawFolder.Length..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }
}
