using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Tests;

public sealed class EvidenceItemTests
{
    internal static EvidenceItem Sample(string kind = "document", DateTimeOffset? observedAt = null, JsonObject? facts = null) => EvidenceItemJson.Seal(new EvidenceItem
    {
        Id = ItemIds.For("run-1", "job-1", new Subject("document", "policies/ai-policy.md", "AI Policy"), kind),
        Kind = kind,
        Controls = ["A.2.2"],
        Subject = new Subject("document", "policies/ai-policy.md", "AI Policy", ["fraud-scoring"]),
        Source = new EvidenceSource("documents", "documents", "policies/ai-policy.md", "DocumentsCollector", "0.1.0"),
        RunId = "run-1",
        JobId = "job-1",
        ObservedAt = observedAt ?? new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero),
        EvidenceDate = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero),
        Period = new EvidencePeriod(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)),
        Summary = "ai-policy 'AI Policy', approved 2026-03-10",
        Facts = facts ?? new JsonObject { ["documentType"] = "ai-policy", ["approvedBy"] = "CRO", ["approvedOn"] = "2026-03-10" },
        RawSha256 = new string('a', 64),
        RawMediaType = "text/markdown",
    });

    [Fact]
    public void Sealing_sets_the_hash_of_the_canonical_form()
    {
        var item = Sample();

        Assert.Matches("^[0-9a-f]{64}$", item.Sha256);
        Assert.Equal(item.Sha256, EvidenceItemJson.ComputeHash(item));
    }

    [Fact]
    public void Round_trips_through_its_stored_bytes_unchanged()
    {
        var item = Sample();
        var bytes = EvidenceItemJson.ToBytes(item);

        var parsed = EvidenceItemJson.Parse(bytes);

        Assert.Equal(bytes, EvidenceItemJson.ToBytes(parsed));
        Assert.Equal(item.Sha256, EvidenceItemJson.ComputeHash(parsed));
        Assert.Equal(["fraud-scoring"], parsed.Subject.AiSystemIds);
        Assert.Equal(item.EvidenceDate, parsed.EvidenceDate);
    }

    [Fact]
    public void The_hash_of_the_stored_bytes_is_the_sealed_hash_even_with_sha256_keys_in_raw_and_facts()
    {
        var item = Sample(facts: new JsonObject { ["sha256"] = new string('b', 64), ["files"] = new JsonArray(new JsonObject { ["sha256"] = new string('c', 64) }) });

        Assert.Equal(item.Sha256, EvidenceItemJson.ComputeStoredHash(EvidenceItemJson.ToBytes(item)));
    }

    [Theory]
    [InlineData("\"approvedBy\":\"CRO\"", "\"approvedBy\":\"CEO\"")]
    [InlineData("\"approvedBy\":\"CRO\"", "\"approvedBy\":\"CRO\",\"sha256\":\"x\"")]
    [InlineData("{\"approvedBy\"", "{ \"approvedBy\"")]
    public void Any_change_to_the_stored_bytes_changes_the_stored_hash(string original, string altered)
    {
        // Even a change that parses to the same item (insignificant whitespace) is not the sealed bytes.
        var text = Encoding.UTF8.GetString(EvidenceItemJson.ToBytes(Sample()));
        Assert.Contains(original, text, StringComparison.Ordinal);

        var stored = Encoding.UTF8.GetBytes(text.Replace(original, altered, StringComparison.Ordinal));

        Assert.NotEqual(Sample().Sha256, EvidenceItemJson.ComputeStoredHash(stored));
    }

    [Fact]
    public void An_item_with_a_byte_that_is_not_utf8_is_a_format_error()
    {
        var bytes = EvidenceItemJson.ToBytes(Sample());
        bytes[Encoding.UTF8.GetString(bytes).IndexOf("CRO", StringComparison.Ordinal)] = 0xFF;

        var error = Assert.Throws<FormatException>(() => EvidenceItemJson.Parse(bytes));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_any_fact_changes_the_hash()
    {
        var item = Sample();
        var tampered = item with { Facts = new JsonObject { ["documentType"] = "ai-policy", ["approvedBy"] = "Someone else", ["approvedOn"] = "2026-03-10" } };

        Assert.NotEqual(item.Sha256, EvidenceItemJson.ComputeHash(tampered));
    }

    [Fact]
    public void Ids_are_deterministic_for_run_job_subject_and_kind()
    {
        var subject = new Subject("repository", "contoso/fraud", "contoso/fraud");

        Assert.Equal(ItemIds.For("r", "j", subject, "k"), ItemIds.For("r", "j", subject, "k"));
        Assert.NotEqual(ItemIds.For("r", "j", subject, "k"), ItemIds.For("r", "j2", subject, "k"));
        Assert.True(ItemIds.IsWellFormed(ItemIds.For("r", "j", subject, "k")));
    }

    [Fact]
    public void A_collector_error_is_indexed_under_the_kind_it_attempted()
    {
        var item = Sample(EvidenceKinds.CollectorError, facts: new JsonObject { ["attemptedKind"] = "github.pull-requests", ["error"] = "500" });

        Assert.Equal("github.pull-requests", item.IndexKind);
        Assert.True(item.IsCollectorError);
    }

    [Fact]
    public void Parsing_a_truncated_item_names_the_problem()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":1,"id":"abc""");

        var error = Assert.Throws<FormatException>(() => EvidenceItemJson.Parse(bytes));
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void Parsing_an_item_without_required_fields_names_the_problem()
    {
        var error = Assert.Throws<FormatException>(() => EvidenceItemJson.Parse("""{"schemaVersion":1}"""u8));

        Assert.Contains("missing a required field", error.Message);
    }
}
