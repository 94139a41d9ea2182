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

    public static string RawPath(string sha256) => $"{RawFolder}{sha256}";

    /// <summary>The item id of an item file's path, or null when the path is not an item file.</summary>
    public static string? ItemIdFromPath(string path) =>
        path.StartsWith(ItemsFolder, StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal) && path.IndexOf('/', ItemsFolder.Length) < 0
            ? path[ItemsFolder.Length..^".json".Length]
            : null;

    /// <summary>The SHA-256 a raw payload's path names, or null when the path is not a raw payload.</summary>
    public static string? RawShaFromPath(string path) =>
        path.StartsWith(RawFolder, StringComparison.Ordinal) && path.IndexOf('/', RawFolder.Length) < 0 ? path[RawFolder.Length..] : null;
}
