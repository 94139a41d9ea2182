namespace Aims.Reporting.IO;

/// <summary>
/// The object names of the layout every <see cref="Aims.Evidence.Store.IEvidenceStore"/> shares (see its summary),
/// used to name what verification found. Reporting depends on the store contract only, not on a backend.
/// </summary>
internal static class StoreNames
{
    public static string Item(string id) => id.Length >= 2 ? $"items/{id[..2]}/{id}.json" : $"items/{id}.json";

    public static string Raw(string sha256) => sha256.Length >= 2 ? $"raw/{sha256[..2]}/{sha256}" : $"raw/{sha256}";

    /// <summary>How findings name one kind's part of the index (a database or a table, not a file in the store).</summary>
    public static string Index(string kind) => $"index/{kind}";

    public static string LedgerSegment(string segment) => $"ledger/{segment}";
}
