using System.Text.Json.Nodes;
using Aims.Evidence.Catalog;
using Aims.Functions.Bundles;

namespace Aims.Functions.Tests.Units;

public sealed class BundleApiRequestTests
{
    private static BundleApiRequest Parse(string json) => BundleApiRequest.Parse(JsonNode.Parse(json), ControlCatalog.Default);

    [Fact]
    public void Reads_days_as_whole_utc_days_and_normalizes_controls()
    {
        var request = Parse("""{"from":"2026-01-01","to":"2026-06-30","controls":["a.6.2.6","9.2","A.6.2.6"],"system":"credit-scoring"}""");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), request.From);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), request.To);
        Assert.Equal(["9.2", "A.6.2.6"], request.Controls);
        Assert.Equal("credit-scoring", request.AiSystem);
    }

    [Theory]
    [InlineData("[]", "body")]
    [InlineData("""{"to":"2026-06-30"}""", "from")]
    [InlineData("""{"from":"2026-13-01","to":"2026-06-30"}""", "from")]
    [InlineData("""{"from":"2026-01-01","to":"yesterday"}""", "to")]
    [InlineData("""{"from":"2026-06-30","to":"2026-01-01"}""", "to")]
    [InlineData("""{"from":"2026-01-01","to":"2026-06-30","controls":["A.99"]}""", "controls")]
    [InlineData("""{"from":"2026-01-01","to":"2026-06-30","controls":[5]}""", "controls")]
    [InlineData("""{"from":"2026-01-01","to":"2026-06-30","system":"../etc"}""", "system")]
    public void Names_the_field_that_is_wrong(string json, string field)
    {
        Assert.Equal(field, Assert.Throws<BundleRequestException>(() => Parse(json)).Field);
    }

    [Theory]
    [InlineData("bundle-20261123T020000Z-0123456789ab", true)]
    [InlineData("bundle-20261123T020000Z-0123456789AB", false)]
    [InlineData("../bundle-20261123T020000Z-0123456789ab", false)]
    [InlineData("bundle-20261123T020000Z-0123456789ab/..", false)]
    [InlineData("", false)]
    public void Accepts_only_well_formed_bundle_ids(string id, bool valid)
    {
        Assert.Equal(valid, BundleId.IsValid(id));
    }
}
