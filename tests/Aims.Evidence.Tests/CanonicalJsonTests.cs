using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Tests;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Sorts_keys_at_every_depth_and_drops_whitespace()
    {
        var node = JsonNode.Parse("""{ "b": 1, "a": { "z": true, "m": [ { "y": 1, "x": 2 } ] } }""");

        Assert.Equal("""{"a":{"m":[{"x":2,"y":1}],"z":true},"b":1}""", CanonicalJson.ToText(node));
    }

    [Fact]
    public void Same_content_built_in_different_orders_hashes_the_same()
    {
        var first = new JsonObject { ["title"] = "Policy", ["owner"] = "CRO" };
        var second = new JsonObject { ["owner"] = "CRO", ["title"] = "Policy" };

        Assert.Equal(CanonicalJson.Sha256Hex(CanonicalJson.ToBytes(first)), CanonicalJson.Sha256Hex(CanonicalJson.ToBytes(second)));
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_milliseconds()
    {
        var local = new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.FromHours(2));

        Assert.Equal("2026-11-23T12:30:00.000Z", CanonicalJson.Timestamp(local));
    }

    [Fact]
    public void Non_ascii_text_is_kept_readable()
    {
        Assert.Equal("""{"name":"Zoë – ≥ 2"}""", CanonicalJson.ToText(new JsonObject { ["name"] = "Zoë – ≥ 2" }));
    }

    [Fact]
    public void Strings_that_look_like_dates_stay_as_written()
    {
        var parsed = JsonNode.Parse("""{"approvedOn":"2026-03-10"}""");

        Assert.Equal("""{"approvedOn":"2026-03-10"}""", CanonicalJson.ToText(parsed));
    }
}
