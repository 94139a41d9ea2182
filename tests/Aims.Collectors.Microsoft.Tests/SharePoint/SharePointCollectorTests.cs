using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>What one run against the fake library stores, and what re-runs read.</summary>
public sealed class SharePointCollectorTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    private const string Library = "contoso.sharepoint.com/sites/ai-governance/Governance Documents";

    [Fact]
    public async Task A_run_collects_every_document_with_its_library_metadata_and_raw_content()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();

        await run.RunAsync();

        Assert.Empty(run.Errors);
        Assert.Equal(
            [$"{Library}/Assessments/Fraud impact assessment.md", $"{Library}/Policies/AI Policy.docx", $"{Library}/Policies/Roles.pdf"],
            run.Documents.Select(i => i.Subject.Id).Order(StringComparer.Ordinal));
        var policy = run.Document("AI Policy.docx");
        Assert.Equal(EvidenceKinds.Document, policy.Kind);
        Assert.Equal("Contoso AI Policy", policy.Subject.DisplayName);
        Assert.Equal(["fraud-scoring"], policy.Subject.AiSystemIds);
        Assert.Equal(["A.2.2", "A.2.3"], policy.Controls);
        Assert.Equal("ai-policy", SharePointRun.Fact(policy, "documentType"));
        Assert.Equal("AI Governance Lead", SharePointRun.Fact(policy, "owner"));
        Assert.Equal("Dana Whitfield", SharePointRun.Fact(policy, "approvedBy"));
        Assert.Equal("2026-03-10", SharePointRun.Fact(policy, "approvedOn"));
        Assert.Equal("2027-03-10", SharePointRun.Fact(policy, "reviewDue"));
        Assert.Equal("3.0", SharePointRun.Fact(policy, "version"));
        Assert.Equal("approved", SharePointRun.Fact(policy, "approvalStatus"));
        Assert.Equal("Policies/AI Policy.docx", SharePointRun.Fact(policy, "libraryPath"));
        Assert.Equal("AI Policy.docx", SharePointRun.Fact(policy, "fileName"));
        Assert.Equal("Megan Bowen", SharePointRun.Fact(policy, "createdBy"));
        Assert.Equal("Adele Vance", SharePointRun.Fact(policy, "modifiedBy"));
        Assert.Equal("2026-03-10T16:05:00.000Z", SharePointRun.Fact(policy, "modifiedAt"));
        Assert.Equal(ContosoLibrary.PolicyBytes.Length, policy.Facts["sizeBytes"]!.GetValue<long>());
        Assert.NotNull(SharePointRun.Fact(policy, "quickXorHash"));
        Assert.StartsWith("https://contoso.sharepoint.com/sites/ai-governance/_layouts/15/Doc.aspx", policy.Source.Locator, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), policy.EvidenceDate);

        // The raw payload is the file itself, byte for byte, under its SHA-256.
        Assert.Equal(CanonicalJson.Sha256Hex(ContosoLibrary.PolicyBytes), policy.RawSha256);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", policy.RawMediaType);
        Assert.Equal(CanonicalJson.Sha256Hex(ContosoLibrary.PolicyBytes), SharePointRun.Fact(policy, "sha256"));

        // Version history for the policy: who changed or approved which version when, newest first.
        var versions = policy.Facts["versions"]!.AsArray();
        Assert.Equal(["3.0", "2.0", "1.0"], versions.Select(v => (string?)v!["version"]));
        Assert.Equal(["approved", "pending", "approved"], versions.Select(v => (string?)v!["approvalStatus"]));
        Assert.Equal("Dana Whitfield", (string?)versions[0]!["modifiedBy"]);

        // A Markdown file without columns is described by its front matter, as in a folder.
        var impact = run.Document("Fraud impact assessment.md");
        Assert.Equal("impact-assessment", SharePointRun.Fact(impact, "documentType"));
        Assert.Equal("Model Risk Committee", SharePointRun.Fact(impact, "approvedBy"));
        Assert.Null(impact.Facts["versions"]);
    }

    [Fact]
    public async Task Secrets_in_a_SharePoint_document_are_redacted_from_the_stored_copy()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();

        await run.RunAsync();

        var raw = await run.Harness.RawAsync(run.Document("Fraud impact assessment.md"));
        Assert.DoesNotContain("ghp_0123456789", raw, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", raw, StringComparison.Ordinal);
        Assert.Contains("# Impact assessment", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_pending_approval_keeps_its_column_values_but_is_not_approved()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();

        await run.RunAsync();

        var roles = run.Document("Roles.pdf");
        Assert.Equal("pending", SharePointRun.Fact(roles, "approvalStatus"));
        Assert.Null(roles.Facts["approvedBy"]);
        Assert.Null(roles.Facts["approvedOn"]);
        Assert.Equal("Dana Whitfield", SharePointRun.Fact(roles, "columnApprovedBy"));
        Assert.Equal("2026-01-15", SharePointRun.Fact(roles, "columnApprovedOn"));
        Assert.Contains("no approval recorded", roles.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_without_a_document_type_are_not_documents()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();

        await run.RunAsync();

        Assert.DoesNotContain(run.Items, i => i.Subject.Id.EndsWith("notes.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Api.Requests, r => r.Path == $"/download/{ContosoLibrary.Notes}");
    }

    [Fact]
    public async Task The_delta_feed_is_followed_across_pages_and_the_site_is_found_by_its_URL()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Site.PageSize = 2;

        await run.RunAsync();

        // root + 3 folders + 4 files = 8 entries, 2 a page
        Assert.Equal(1, run.Api.Count("GET", $"{FakeSharePoint.DrivePath(FakeSharePoint.DriveId)}/items/root/delta()"));
        Assert.Equal(3, run.Api.Count("GET", $"{FakeSharePoint.DrivePath(FakeSharePoint.DriveId)}/root/delta"));
        Assert.Equal(1, run.Api.Count("GET", $"/v1.0/sites/{FakeSharePoint.Host}:{FakeSharePoint.SitePath}"));
        Assert.Empty(run.Api.Unmatched);
        Assert.All(run.Api.Requests.Where(r => r.Path.StartsWith("/v1.0/", StringComparison.Ordinal)), r => Assert.Equal("Bearer fake-test-token", r.Authorization));
    }

    [Fact]
    public async Task A_second_run_with_nothing_changed_downloads_nothing_and_observes_every_document_again()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        var first = await run.RunAsync();
        Assert.Equal(3, run.Downloads);

        var second = await run.RunAsync();

        Assert.Equal(0, run.Downloads);
        Assert.DoesNotContain(run.Api.Requests, r => r.Path.StartsWith($"{FakeSharePoint.DrivePath(FakeSharePoint.DriveId)}/items/01", StringComparison.Ordinal));
        Assert.Equal(first.Select(i => i.Subject.Id).Order(StringComparer.Ordinal), second.Select(i => i.Subject.Id).Order(StringComparer.Ordinal));
        foreach (var item in second)
        {
            var before = first.Single(i => i.Subject.Id == item.Subject.Id);
            Assert.Equal(before.RawSha256, item.RawSha256);
            Assert.Equal("unchanged", SharePointRun.Fact(item, "readMode"));
            Assert.Equal(SharePointRun.Fact(before, "approvedBy"), SharePointRun.Fact(item, "approvedBy"));
            Assert.True(item.ObservedAt > before.ObservedAt);
            Assert.NotNull(await run.Harness.Store.OpenRawAsync(item.RawSha256!));
        }
    }

    [Fact]
    public async Task A_column_change_is_read_without_a_download_and_new_content_is_downloaded()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        await run.RunAsync();
        run.Site.ChangeField(ContosoLibrary.Policy, "ReviewDue", "2028-01-31T00:00:00Z");
        run.Site.ChangeContent(ContosoLibrary.Impact, ContosoLibrary.ImpactMarkdown.Replace("2027-05-02", "2027-06-30", StringComparison.Ordinal));

        await run.RunAsync();

        Assert.Equal(1, run.Downloads);
        Assert.Single(run.Api.Requests, r => r.Path == $"/download/{ContosoLibrary.Impact}");
        var policy = run.Document("AI Policy.docx");
        Assert.Equal("2028-01-31", SharePointRun.Fact(policy, "reviewDue"));
        Assert.Equal("delta", SharePointRun.Fact(policy, "readMode"));
        Assert.Equal(CanonicalJson.Sha256Hex(ContosoLibrary.PolicyBytes), policy.RawSha256);
        Assert.Equal("2027-06-30", SharePointRun.Fact(run.Document("Fraud impact assessment.md"), "reviewDue"));
        Assert.Equal("unchanged", SharePointRun.Fact(run.Document("Roles.pdf"), "readMode"));
    }

    [Fact]
    public async Task A_deleted_item_in_a_delta_page_is_no_longer_observed()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        await run.RunAsync();
        run.Site.Delete(ContosoLibrary.Roles);

        await run.RunAsync();

        Assert.Empty(run.Errors);
        Assert.DoesNotContain(run.Items, i => i.Subject.Id.EndsWith("Roles.pdf", StringComparison.Ordinal));
        Assert.Equal(2, run.Documents.Count);
        Assert.Equal(0, run.Downloads);

        // And the next run does not bring it back.
        await run.RunAsync();
        Assert.Equal(2, run.Documents.Count);
    }

    [Fact]
    public async Task After_FullReadEveryDays_the_library_is_read_in_full_again_without_downloading_unchanged_content()
    {
        await using var run = SharePointRun.Create(fake.Api, s => s["FullReadEveryDays"] = "7");
        run.Site.Seed();
        await run.RunAsync();

        await run.RunAsync(after: TimeSpan.FromDays(8));

        Assert.Equal(1, run.Api.Count("GET", $"{FakeSharePoint.DrivePath(FakeSharePoint.DriveId)}/items/root/delta()"));
        Assert.Equal(0, run.Downloads);
        Assert.Equal(3, run.Documents.Count);
        Assert.All(run.Documents, d => Assert.Equal("full", SharePointRun.Fact(d, "readMode")));
    }

    [Fact]
    public async Task Only_the_configured_folders_are_collected()
    {
        await using var run = SharePointRun.Create(fake.Api, s => s["Libraries:0:Folders:0"] = "/Assessments/");
        run.Site.Seed();

        await run.RunAsync();

        var only = Assert.Single(run.Documents);
        Assert.EndsWith("/Assessments/Fraud impact assessment.md", only.Subject.Id, StringComparison.Ordinal);
        Assert.Equal(1, run.Downloads);

        // Files whose folder the delta feed places outside cost no request at all.
        Assert.DoesNotContain(run.Api.Requests, r => r.Path.StartsWith($"{FakeSharePoint.DrivePath(FakeSharePoint.DriveId)}/items/01", StringComparison.Ordinal) && !r.Path.Contains(ContosoLibrary.Impact, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_renamed_folder_re_reads_the_documents_in_it_under_their_new_path_without_downloading()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        await run.RunAsync();
        run.Site.RenameFolder("Policies", "Approved Policies");

        await run.RunAsync();

        Assert.Empty(run.Errors);
        Assert.Equal(
            [$"{Library}/Approved Policies/AI Policy.docx", $"{Library}/Approved Policies/Roles.pdf", $"{Library}/Assessments/Fraud impact assessment.md"],
            run.Documents.Select(i => i.Subject.Id).Order(StringComparer.Ordinal));
        Assert.Equal("Approved Policies/AI Policy.docx", SharePointRun.Fact(run.Document("AI Policy.docx"), "libraryPath"));
        Assert.Equal("delta", SharePointRun.Fact(run.Document("AI Policy.docx"), "readMode"));
        Assert.Equal("unchanged", SharePointRun.Fact(run.Document("Fraud impact assessment.md"), "readMode"));
        Assert.Equal(0, run.Downloads);
    }

    [Fact]
    public async Task A_library_named_by_drive_id_and_a_site_named_by_id_are_found()
    {
        await using var run = SharePointRun.Create(fake.Api, s =>
        {
            s["Libraries:0:Site"] = FakeSharePoint.SiteId;
            s["Libraries:0:Library"] = FakeSharePoint.DriveId;
        });
        run.Site.Seed();

        await run.RunAsync();

        Assert.Equal(3, run.Documents.Count);
        Assert.Equal(1, run.Api.Count("GET", $"/v1.0/sites/{FakeSharePoint.SiteId}"));
    }
}
