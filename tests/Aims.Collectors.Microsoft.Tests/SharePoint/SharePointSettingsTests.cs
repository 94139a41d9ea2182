using Aims.Collectors.Microsoft.SharePoint;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>Bad SharePoint settings fail at start with a message naming the setting; the digest line never holds a secret.</summary>
public sealed class SharePointSettingsTests
{
    private static readonly SourceContext Context = new(TimeProvider.System, NullLoggerFactory.Instance, ".", Credential: new FakeTokenCredential());

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Libraries:0:Site"] = "https://contoso.sharepoint.com/sites/ai-governance",
        ["Libraries:0:Library"] = "Policies",
    };

    [Theory]
    [InlineData("Libraries:0:Site", "http://contoso.sharepoint.com/sites/ai-governance", "Libraries:0:Site", "must use https")]
    [InlineData("Libraries:0:Site", "https://contoso.sharepoint.com/sites/x?web=1", "Libraries:0:Site", "without query")]
    [InlineData("Libraries:0:Site", "contoso/sites/ai", "Libraries:0:Site", "neither an https site URL nor a Graph site id")]
    [InlineData("Libraries:0:Folders:0", "Policies/../Secrets", "Libraries:0:Folders", "not a folder path inside the library")]
    [InlineData("Columns:ReviewDate", "NextReview", "Columns:ReviewDate", "not a document field")]
    [InlineData("Columns:ReviewDue", "Next Review", "Columns:ReviewDue", "not a column's internal name")]
    [InlineData("MaxDocumentMegabytes", "0", "MaxDocumentMegabytes", "from 1 to 2048")]
    [InlineData("FullReadEveryDays", "365", "FullReadEveryDays", "from 0 to 90")]
    [InlineData("BaseUrl", "http://graph.microsoft.com/v1.0", "BaseUrl", "https")]
    [InlineData("Credential", "Password", "Credential", "not a credential kind")]
    public void An_invalid_setting_fails_at_start_naming_it(string key, string value, string setting, string message)
    {
        var values = Valid();
        values[key] = value;

        var error = Assert.Throws<InvalidSettingException>(() => Create(values));

        Assert.Equal($"Aims:Sources:SharePoint:{setting}", error.Setting);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_without_libraries_says_how_to_name_one()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Create(new() { ["Credential"] = "AzureCli" }));

        Assert.Equal("Aims:Sources:SharePoint:Libraries", error.Setting);
        Assert.Contains("Libraries:0:Site", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_source_describes_its_libraries_and_is_not_configured_without_a_section()
    {
        var source = new SharePointSource();

        var state = source.Describe(EvidenceHarness.Section("Aims:Sources:SharePoint", Valid()));
        var absent = source.Describe(EvidenceHarness.Section("Aims:Sources:SharePoint", []));

        Assert.True(state.Configured);
        Assert.Equal("documents", state.Family);
        Assert.Contains("https://contoso.sharepoint.com/sites/ai-governance / Policies", state.Detail, StringComparison.Ordinal);
        Assert.False(absent.Configured);
        Assert.Contains("Libraries:0:Site", absent.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_job_is_planned_per_library_and_a_job_for_a_library_no_longer_configured_is_refused()
    {
        var values = Valid();
        values["Libraries:1:Site"] = "https://contoso.sharepoint.com/sites/hr";
        var collector = Create(values);

        var jobs = new List<Aims.Evidence.Collection.CollectionJob>();
        await foreach (var job in collector.PlanAsync(new Aims.Evidence.Collection.CollectionPlan("run-1", EvidenceHarness.Period)))
        {
            jobs.Add(job);
        }

        Assert.Equal(["sharepoint:01", "sharepoint:02"], jobs.Select(j => j.JobId));
        Assert.Equal("Documents", jobs[1].Parameter("name"));
        Assert.Equal(SharePointSource.SourceName, collector.Source);
        Assert.Equal([EvidenceKinds.Document], collector.Kinds);

        // A job planned before the second library was removed must not run against something else.
        using var harness = new EvidenceHarness();
        var recorder = new Aims.Evidence.Collection.EvidenceRecorder(harness.Store, jobs[1], new Aims.Evidence.Collection.CollectorIdentity("documents", "t", "SharePoint", "0"), Aims.Evidence.Requirements.RequirementSet.LoadDefaults(), harness.Time);
        await Create(Valid()).CollectAsync(jobs[1], recorder);
        var error = Assert.Single(await harness.ItemsAsync());
        Assert.True(error.IsCollectorError);
        Assert.Contains("no longer configured", (string?)error.Facts["error"], StringComparison.Ordinal);
    }

    private static Aims.Evidence.Collection.IEvidenceCollector Create(Dictionary<string, string?> values) =>
        new SharePointSource().Create(EvidenceHarness.Section("Aims:Sources:SharePoint", values), Context);
}
