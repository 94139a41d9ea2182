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
    public const string Readme = "README.txt";
    public const string CheckpointsFolder = "ledger/checkpoints/";
    public const string OscalResults = "oscal/assessment-results.json";
    public const string SoaPrefix = "soa.";

    /// <summary>Detached ES256 signature (DER) of SHA256SUMS, which lists every other file including manifest.json.</summary>
    public const string Sha256SumsSignature = "SHA256SUMS.sig";

    /// <summary>Detached ES256 signature (DER) of manifest.json.</summary>
    public const string ManifestSignature = "manifest.json.sig";

    /// <summary>The signer's public key (PEM). Trust it only after comparing its fingerprint with the one published to you.</summary>
    public const string SigningKey = "signing-key.pem";

    /// <summary>The files written after SHA256SUMS, so neither it nor manifest.json can list them.</summary>
    public static readonly IReadOnlySet<string> SignatureFiles = new HashSet<string>(StringComparer.Ordinal) { Sha256SumsSignature, ManifestSignature, SigningKey };

    public static string CheckpointPath(string segmentFolder) => $"{CheckpointsFolder}{segmentFolder}.json";

    /// <summary>
    /// Whether <paramref name="path"/> is a name a bundle can hold: the fixed files, evidence/items/{id}.json,
    /// evidence/raw/{sha256}, ledger/checkpoints/{segment}.json. Anything else was added.
    /// </summary>
    public static bool IsExpected(string path) =>
        path is LedgerEntries or LedgerReadme or ControlsCsv or IndexHtml or Manifest or Sha256Sums or Readme or OscalResults
            or "soa.csv" or "soa.json" or "soa.html" or "soa.md"
        || SignatureFiles.Contains(path)
        || (ItemIdFromPath(path) is { } id && Evidence.Items.ItemIds.IsWellFormed(id))
        || (RawShaFromPath(path) is { } sha && Evidence.Items.ItemIds.IsSha256(sha))
        || (path.StartsWith(CheckpointsFolder, StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal)
            && path.IndexOf('/', CheckpointsFolder.Length) < 0 && path.Length > CheckpointsFolder.Length + 5);

    /// <summary>Why an entry name is unsafe to extract (null when it is safe): parent steps, absolute paths, backslashes, drive letters.</summary>
    public static string? UnsafeNameProblem(string path) =>
        path.Length == 0 ? "has an empty name."
        : path.Contains('\\') ? "has a backslash in its name, which some tools extract as a folder separator."
        : path.StartsWith('/') || (path.Length >= 2 && path[1] == ':') ? "has an absolute name, which would extract outside the bundle folder."
        : path.Split('/').Any(s => s is ".." or ".") ? "has '.' or '..' in its name, which would extract outside or around the bundle folder."
        : path.Any(char.IsControl) ? "has a control character in its name."
        : null;

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
