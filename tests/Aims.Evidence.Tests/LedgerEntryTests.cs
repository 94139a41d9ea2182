using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Evidence.Tests;

/// <summary>
/// A ledger entry's line and hash are written field by field and read token by token for speed; both must stay exactly
/// the canonical JSON of its node, which defines the hash chain.
/// </summary>
public sealed class LedgerEntryTests
{
    public static TheoryData<LedgerEntry> Entries() =>
    [
        Entry(),
        Entry() with { RawSha256 = new string('b', 64), AttemptedKind = "github.branch-protection", AiSystems = [] },
        Entry() with { SubjectKey = "doc:politique-\u00e9t\u00e9 \"quoted\" \\ <tag> &amp; \u2028", Controls = [], Segment = "w-\u00fc" },
    ];

    [Theory]
    [MemberData(nameof(Entries))]
    public void Canonical_bytes_written_field_by_field_are_those_of_the_canonical_node(LedgerEntry entry)
    {
        // Given an entry, with and without its optional fields and with characters JSON escapes
        // When its canonical bytes are written directly and through the node
        // Then they are the same bytes, with and without the hash
        Assert.Equal(CanonicalJson.ToBytes(entry.ToNode(includeHash: true)), entry.ToCanonicalBytes(includeHash: true));
        Assert.Equal(CanonicalJson.ToBytes(entry.ToNode(includeHash: false)), entry.ToCanonicalBytes(includeHash: false));
        Assert.Equal(CanonicalJson.ToText(entry.ToNode()), entry.ToLine());
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void A_line_read_back_is_the_entry_written_and_still_intact(LedgerEntry entry)
    {
        // Given a sealed entry's line
        var sealedEntry = entry with { Hash = entry.ComputeHash() };

        // When it is read back
        var read = LedgerEntry.ParseLine(sealedEntry.ToLine());

        // Then it writes the same line and its hash still matches its content
        Assert.Equal(sealedEntry.ToLine(), read.ToLine());
        Assert.True(read.IsIntact);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"seq\":1}")]
    [InlineData("{\"seq\":\"1\",\"segment\":\"s\"}")]
    [InlineData("{\"seq\":1,\"seq\":2}")]
    [InlineData("not json")]
    public void A_malformed_line_is_a_format_error(string line)
    {
        // Given a line that is not a whole ledger entry
        // When it is read
        // Then it is a FormatException that says the line is malformed
        var error = Assert.Throws<FormatException>(() => LedgerEntry.ParseLine(line));
        Assert.StartsWith("A ledger line is malformed", error.Message, StringComparison.Ordinal);
    }

    private static LedgerEntry Entry() => new()
    {
        Sequence = 42,
        Segment = "main",
        RecordedAt = new DateTimeOffset(2026, 6, 15, 9, 30, 0, 123, TimeSpan.FromHours(2)),
        ItemId = new string('a', 64),
        ItemSha256 = new string('c', 64),
        Kind = "github.repo",
        Controls = ["A.6.2.2", "A.8.3"],
        SubjectKey = "repo:contoso/model",
        AiSystems = ["credit-scoring"],
        ObservedAt = new DateTimeOffset(2026, 6, 14, 0, 0, 0, TimeSpan.Zero),
        PreviousHash = LedgerEntry.GenesisHash,
        Hash = new string('d', 64),
    };
}
