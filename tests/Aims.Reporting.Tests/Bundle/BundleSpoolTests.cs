using Aims.Evidence.Items;
using Aims.Reporting.Bundle;

namespace Aims.Reporting.Tests.Bundle;

/// <summary>
/// The temporary files a bundle keeps its per-item references and its file list in, instead of memory: what is read back
/// is what was written, in order, by control, and while the list is still growing.
/// </summary>
public sealed class BundleSpoolTests
{
    private static readonly DateTimeOffset Observed = new(2026, 3, 2, 2, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Item_references_read_back_equal_those_added_in_order_and_under_each_control()
    {
        using var spool = new BundleItemSpool();
        var first = Ref("aa11", ["A.2.2", "a.2.2"], mapped: ["A.2.2", "A.6.2.6"], raw: new string('b', 64)) with
        {
            Expires = Observed.AddDays(365),
            EvidenceDate = Observed.AddDays(-3),
            Period = new EvidencePeriod(Observed.AddDays(-30), Observed),
            RawMediaType = "application/pdf",
        };
        var second = Ref("bb22", ["A.6.2.6"], mapped: ["A.6.2.6"], raw: null);

        spool.Add(first);
        spool.Add(second);

        var all = spool.All().ToList();
        Assert.Equal(2, spool.Count);
        AssertSame(first, all[0]);
        AssertSame(second, all[1]);
        Assert.Equal(["aa11"], spool.ForRecordedControl("A.2.2").Select(i => i.Id));
        Assert.Equal(["bb22"], spool.ForRecordedControl("a.6.2.6").Select(i => i.Id));
        Assert.Equal(["aa11"], spool.IdsForMappedControl("A.2.2"));
        Assert.Equal(["aa11", "bb22"], spool.IdsForMappedControl("A.6.2.6"));
        Assert.Empty(spool.ForRecordedControl("A.9.2"));
        Assert.Equal(["fraud-model"], spool.AiSystems);
    }

    [Fact]
    public void A_reference_larger_than_the_read_window_reads_back_whole()
    {
        using var spool = new BundleItemSpool();
        var large = Ref("cc33", ["A.2.2"], mapped: ["A.2.2"], raw: null) with { Summary = new string('s', 200_000) + "é" };

        spool.Add(Ref("dd44", ["A.2.2"], mapped: ["A.2.2"], raw: null));
        spool.Add(large);
        spool.Add(Ref("ee55", ["A.2.2"], mapped: ["A.2.2"], raw: null));

        Assert.Equal(["dd44", "cc33", "ee55"], spool.ForRecordedControl("A.2.2").Select(i => i.Id));
        Assert.Equal(large.Summary, spool.ForRecordedControl("A.2.2")[1].Summary);
    }

    [Fact]
    public void The_file_list_reads_back_in_order_and_takes_files_added_after_it_was_read()
    {
        // manifest.json is listed in SHA256SUMS: it is added to the list after the manifest read the list.
        using var files = new BundleFileSpool();
        var item = new BundleFile("evidence/items/aa11.json", 1234, new string('0', 63) + "1");
        files.Add(item);
        Assert.Equal([item], files.All());

        var manifest = new BundleFile("manifest.json", 99, new string('f', 64));
        files.Add(manifest);

        Assert.Equal([item, manifest], files.All());
        Assert.Equal(2, files.Count);
    }

    private static BundleItemRef Ref(string id, string[] controls, string[] mapped, string? raw) =>
        new(id, "document", $"governance/{id}.md", $"Document {id}", Observed, controls, ["fraud-model"], ["req-policy"], $"Summary of {id}", raw)
        {
            MappedControls = mapped,
            Sha256 = new string('a', 64),
            Source = "documents ./governance",
        };

    private static void AssertSame(BundleItemRef expected, BundleItemRef actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.SubjectKey, actual.SubjectKey);
        Assert.Equal(expected.DisplayName, actual.DisplayName);
        Assert.Equal(expected.ObservedAt, actual.ObservedAt);
        Assert.Equal(expected.ObservedAt.Offset, actual.ObservedAt.Offset);
        Assert.Equal(expected.Controls, actual.Controls);
        Assert.Equal(expected.AiSystems, actual.AiSystems);
        Assert.Equal(expected.RequirementIds, actual.RequirementIds);
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.RawSha256, actual.RawSha256);
        Assert.Equal(expected.MappedControls, actual.MappedControls);
        Assert.Equal(expected.Expires, actual.Expires);
        Assert.Equal(expected.Sha256, actual.Sha256);
        Assert.Equal(expected.EvidenceDate, actual.EvidenceDate);
        Assert.Equal(expected.Period, actual.Period);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.RawMediaType, actual.RawMediaType);
    }
}
