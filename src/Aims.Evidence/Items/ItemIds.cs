namespace Aims.Evidence.Items;

/// <summary>Deterministic identifiers, so a redelivered job writes the same item ids and the store refuses duplicates.</summary>
public static class ItemIds
{
    /// <summary>A 32-hex-character id derived from (run, job, subject, kind).</summary>
    public static string For(string runId, string jobId, Subject subject, string kind) =>
        CanonicalJson.Sha256Hex($"{runId}\n{jobId}\n{subject.Type}\n{subject.Id}\n{kind}")[..32];

    /// <summary>Checks that an id is safe to use as a file or blob name (hex only).</summary>
    public static bool IsWellFormed(string id) => id.Length is >= 16 and <= 64 && id.All(char.IsAsciiHexDigitLower);

    public static bool IsSha256(string hex) => hex.Length == 64 && hex.All(char.IsAsciiHexDigitLower);
}
