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
        EvidenceItem item;
        try
        {
            item = EvidenceItemJson.Parse(bytes);
        }
        catch (FormatException ex)
        {
            problems.Add((FindingKind.Unreadable, $"is not a readable evidence item: {ex.Message}"));
            return (null, problems);
        }

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

        return (item, problems);
    }
}
