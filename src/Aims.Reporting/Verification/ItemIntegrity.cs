using System.Text.Json;
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

    /// <summary>
    /// The quick form of <see cref="Check"/> for the common case, an intact item: true when <paramref name="bytes"/> are,
    /// byte for byte, the sealed item <paramref name="expectedId"/> the ledger recorded, shown without building the item
    /// or serializing it again. The bytes less their own <c>sha256</c> member must hash to <paramref name="ledgerSha256"/>
    /// (so they are what was sealed, in canonical form), that member must hold the same hash and stand where canonical
    /// key order puts it among the top-level members, and the id must be the expected one. Also returns the raw
    /// payload the item references. False says only that the full check must say what differs.
    /// </summary>
    public static bool IsSealedAsRecorded(ReadOnlySpan<byte> bytes, string expectedId, string ledgerSha256, out string? rawSha256, out string? rawMediaType)
    {
        rawSha256 = null;
        rawMediaType = null;
        var at = bytes.LastIndexOf(",\"sha256\":\""u8);
        if (at < 0 || EvidenceItemJson.ComputeStoredHash(bytes) != ledgerSha256)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(bytes);
            string? previousKey = null;
            string? id = null;
            var sawHash = false;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                var keyStart = reader.TokenStartIndex;
                if (previousKey is not null && string.CompareOrdinal(previousKey, key) >= 0)
                {
                    return false;
                }

                previousKey = key;
                reader.Read();
                switch (key)
                {
                    case "id" when reader.TokenType == JsonTokenType.String:
                        id = reader.GetString();
                        break;
                    case "sha256":
                        // The member the stored hash left out must be this top-level one, holding the recorded hash.
                        if (keyStart != at + 1 || reader.TokenType != JsonTokenType.String || reader.GetString() != ledgerSha256)
                        {
                            return false;
                        }

                        sawHash = true;
                        break;
                    case "raw" when reader.TokenType == JsonTokenType.StartObject:
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var rawKey = reader.GetString();
                            reader.Read();
                            if (rawKey == "sha256" && reader.TokenType == JsonTokenType.String)
                            {
                                rawSha256 = reader.GetString();
                            }
                            else if (rawKey == "mediaType" && reader.TokenType == JsonTokenType.String)
                            {
                                rawMediaType = reader.GetString();
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return sawHash && id == expectedId && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
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
