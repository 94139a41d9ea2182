using Aims.Evidence.Items;

namespace Aims.Reporting.Verification;

/// <summary>The checks on one stored item, the same for a bundle file and a store object.</summary>
internal static class ItemIntegrity
{
    /// <summary>
    /// Checks that <paramref name="bytes"/> are the canonical JSON of item <paramref name="expectedId"/>, that its
    /// content hashes to its own <c>sha256</c> and to <paramref name="ledgerSha256"/> (what the ledger recorded).
    /// Returns the parsed item (null when unreadable) and the problems found.
    /// </summary>
    public static (EvidenceItem? Item, List<(FindingKind Kind, string Problem)> Problems) Check(ReadOnlySpan<byte> bytes, string expectedId, string ledgerSha256, string ledgerPlace)
    {
        var problems = new List<(FindingKind, string)>();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            problems.Add((FindingKind.Altered, "is altered: it is not valid UTF-8, which no stored item is."));
            return (null, problems);
        }

        EvidenceItem item;
        try
        {
            item = EvidenceItemJson.Parse(bytes);
        }
        catch (FormatException ex)
        {
            problems.Add((FindingKind.Altered, $"is altered: it is not a readable evidence item ({ex.Message})"));
            return (null, problems);
        }

        try
        {
            CheckContent(bytes, expectedId, ledgerSha256, ledgerPlace, item, problems);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // Content that parses but cannot be written back canonically (e.g. a malformed value deep in facts).
            problems.Add((FindingKind.Altered, $"is altered: its content cannot be re-serialized canonically ({ex.Message})"));
        }

        return (item, problems);
    }

    private static void CheckContent(ReadOnlySpan<byte> bytes, string expectedId, string ledgerSha256, string ledgerPlace, EvidenceItem item, List<(FindingKind, string)> problems)
    {

        if (item.Id != expectedId)
        {
            problems.Add((FindingKind.Mismatch, $"holds item '{item.Id}', not '{expectedId}'."));
        }

        var content = EvidenceItemJson.ComputeHash(item);
        if (content != ledgerSha256)
        {
            problems.Add((FindingKind.Altered, $"is altered: its content hashes to {content}, but {ledgerPlace} recorded {ledgerSha256}."));
        }
        else if (item.Sha256 != content)
        {
            problems.Add((FindingKind.Altered, $"is altered: its sha256 field says {item.Sha256}, but its content hashes to {content}."));
        }
        else if (!bytes.SequenceEqual(EvidenceItemJson.ToBytes(item)))
        {
            problems.Add((FindingKind.Altered, "is altered: the bytes are not the item's canonical JSON (reformatted or edited outside AIMS Evidence)."));
        }
    }
}
