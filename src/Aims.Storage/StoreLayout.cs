using Aims.Evidence.Items;

namespace Aims.Storage;

/// <summary>
/// The names things are stored under, shared by every backend so a folder store can be copied into a
/// container (and back) unchanged. Every name is built from validated hex ids or known kinds, never from
/// free text, so no input can walk out of the store (<c>../</c>).
/// </summary>
public static class StoreLayout
{
    public const string ItemsPrefix = "items/";
    public const string RawPrefix = "raw/";
    public const string LedgerPrefix = "ledger/";
    /// <summary>State, never evidence: in the folder store under the root, in Azure in the state container.</summary>
    public const string ReportsPrefix = "reports/";
    public const string CheckpointsPrefix = "checkpoints/";

    public static string ItemPath(string id)
    {
        if (!ItemIds.IsWellFormed(id))
        {
            throw new ArgumentException($"'{id}' is not a well-formed item id (16–64 lowercase hex characters).", nameof(id));
        }

        return $"{ItemsPrefix}{id[..2]}/{id}.json";
    }

    /// <summary>The item id in an item path, or null when the path is not an item's.</summary>
    public static string? ItemIdFromPath(string path)
    {
        if (!path.StartsWith(ItemsPrefix, StringComparison.Ordinal) || !path.EndsWith(".json", StringComparison.Ordinal))
        {
            return null;
        }

        var id = Path.GetFileNameWithoutExtension(path);
        return ItemIds.IsWellFormed(id) && path == ItemPath(id) ? id : null;
    }

    public static string RawPath(string sha256)
    {
        if (!ItemIds.IsSha256(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256 in lowercase hex.", nameof(sha256));
        }

        return $"{RawPrefix}{sha256[..2]}/{sha256}";
    }

    /// <summary>Returns <paramref name="kind"/> when it is a valid evidence kind name (lowercase letters, digits, '-', '.'), else throws.</summary>
    public static string ValidKind(string kind)
    {
        if (kind.Length is 0 or > 100 || !kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.') || kind.Contains(".."))
        {
            throw new ArgumentException($"'{kind}' is not a valid evidence kind name.", nameof(kind));
        }

        return kind;
    }

    /// <summary>A checkpoint's path: lowercase letters, digits, '-', '_', '.' and '/' only, no '..'.</summary>
    public static string CheckpointPath(string name)
    {
        if (name.Length is 0 or > 200 || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/') || name.EndsWith('/') ||
            !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            throw new ArgumentException($"'{name}' is not a valid checkpoint name (lowercase letters, digits, '-', '_', '.', '/'; no '..').", nameof(name));
        }

        return CheckpointsPrefix + name;
    }

    public static string ReportPath(string name)
    {
        if (name.Length is 0 or > 200 || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/') ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            throw new ArgumentException($"'{name}' is not a valid report name (letters, digits, '-', '_', '.', '/'; no '..').", nameof(name));
        }

        return ReportsPrefix + name;
    }
}
