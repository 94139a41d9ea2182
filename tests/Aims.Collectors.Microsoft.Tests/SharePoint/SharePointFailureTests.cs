using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>How the SharePoint source behaves when Graph throttles, refuses, loses files or answers what it cannot use.</summary>
public sealed class SharePointFailureTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    private static readonly string DrivePath = FakeSharePoint.DrivePath(FakeSharePoint.DriveId);

    private static string Error(string code, string message) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["error"] = new System.Text.Json.Nodes.JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new System.Text.Json.Nodes.JsonObject { ["date"] = "2026-12-01T02:00:00", ["request-id"] = "b6e2f0a4-3c1d-4e5f-8a9b-0c1d2e3f4a5b" },
            },
        }.ToJsonString();

    [Fact]
    public async Task A_throttled_request_is_retried_after_Retry_After_and_then_succeeds()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        var calls = 0;
        var path = $"{DrivePath}/items/{ContosoLibrary.Policy}";
        var inner = run.Api;
        inner.On("GET", path, context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return inner.WriteJsonAsync(context, Error("activityLimitReached", "The request has been throttled"), StatusCodes.Status429TooManyRequests);
            }

            return inner.WriteJsonAsync(context, run.Site.Item(run.Site.File(ContosoLibrary.Policy)).ToJsonString());
        });

        await run.RunAsync();

        Assert.Equal(2, run.Api.Count("GET", path));
        Assert.Empty(run.Errors);
        Assert.Equal("Dana Whitfield", SharePointRun.Fact(run.Document("AI Policy.docx"), "approvedBy"));
    }

    [Fact]
    public async Task A_library_the_app_may_not_read_is_reported_naming_the_grant_and_the_other_library_is_collected()
    {
        await using var run = SharePointRun.Create(fake.Api, s =>
        {
            s["Libraries:1:Site"] = "https://contoso.sharepoint.com/sites/hr";
            s["Libraries:1:Library"] = "Documents";
        });
        run.Site.Seed();
        run.Api.OnJson("GET", "/v1.0/sites/contoso.sharepoint.com:/sites/hr", Error("accessDenied", "Access denied"), 403);

        await run.RunAsync();

        Assert.Equal(3, run.Documents.Count);
        var error = Assert.Single(run.Errors);
        Assert.Equal("source", error.Subject.Type);
        Assert.Equal(EvidenceKinds.Document, error.IndexKind);
        var message = SharePointRun.Fact(error, "error")!;
        Assert.Contains("https://contoso.sharepoint.com/sites/hr / Documents", message, StringComparison.Ordinal);
        Assert.Contains("403", message, StringComparison.Ordinal);
        Assert.Contains("Sites.Selected", message, StringComparison.Ordinal);
        Assert.Contains("POST /sites/{site-id}/permissions", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_token_on_a_document_names_the_permission_and_the_rest_are_collected()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Api.OnJson("GET", $"{DrivePath}/items/{ContosoLibrary.Roles}", Error("InvalidAuthenticationToken", "Access token validation failure."), 401);

        await run.RunAsync();

        Assert.Equal(2, run.Documents.Count);
        var error = Assert.Single(run.Errors);
        Assert.EndsWith("/Governance Documents/Policies/Roles.pdf", error.Subject.Id, StringComparison.Ordinal);
        Assert.Contains("401", SharePointRun.Fact(error, "error")!, StringComparison.Ordinal);
        Assert.Contains("Sites.Selected", SharePointRun.Fact(error, "error")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_cannot_be_downloaded_is_reported_and_read_again_on_the_next_run()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Api.OnJson("GET", $"/download/{ContosoLibrary.Policy}", Error("serviceNotAvailable", "The file is locked for download"), 423);

        await run.RunAsync();

        var error = Assert.Single(run.Errors);
        Assert.EndsWith("/Policies/AI Policy.docx", error.Subject.Id, StringComparison.Ordinal);
        Assert.Equal(EvidenceKinds.Document, error.IndexKind);
        Assert.Equal("ai-policy", SharePointRun.Fact(error, "documentType"));
        Assert.Contains("423", SharePointRun.Fact(error, "error")!, StringComparison.Ordinal);
        Assert.Equal(2, run.Documents.Count);

        // Given the file can be downloaded again, the next run reads it although the delta feed does not mention it
        run.Api.Reset();
        run.Site.Map();
        await run.RunAsync();

        Assert.Empty(run.Errors);
        Assert.Equal(3, run.Documents.Count);
        Assert.Equal(1, run.Downloads);
        Assert.Equal("retry", SharePointRun.Fact(run.Document("AI Policy.docx"), "readMode"));
    }

    [Fact]
    public async Task A_document_over_the_size_limit_is_reported_without_being_downloaded()
    {
        await using var run = SharePointRun.Create(fake.Api, s => s["MaxDocumentMegabytes"] = "1");
        run.Site.Seed();
        run.Site.Add("01BIG", "Policies", "Model card.pdf", new byte[(1024 * 1024) + 1], new System.Text.Json.Nodes.JsonObject { ["DocumentType"] = "technical-documentation" });

        await run.RunAsync();

        var error = Assert.Single(run.Errors);
        Assert.EndsWith("/Policies/Model card.pdf", error.Subject.Id, StringComparison.Ordinal);
        var message = SharePointRun.Fact(error, "error")!;
        Assert.Contains("1048577 bytes, over the 1 MB limit", message, StringComparison.Ordinal);
        Assert.Contains("Aims:Sources:SharePoint:MaxDocumentMegabytes", message, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Api.Requests, r => r.Path == "/download/01BIG");
        Assert.Equal(3, run.Documents.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_download_larger_than_its_listed_size_is_streamed_and_cut_off_at_the_limit()
    {
        await using var run = SharePointRun.Create(fake.Api, s => s["MaxDocumentMegabytes"] = "1");
        run.Site.Seed();
        run.Api.On("GET", $"/download/{ContosoLibrary.Policy}", async context =>
        {
            // More than the limit, then a body that never ends: only a reader that streams can stop at the limit.
            context.Response.StatusCode = 200;
            await context.Response.Body.WriteAsync(new byte[(2 * 1024 * 1024) + 7]);
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The collector closed the download.
            }
        });

        await run.RunAsync();

        var error = Assert.Single(run.Errors);
        Assert.Contains("larger than the 1 MB limit", SharePointRun.Fact(error, "error")!, StringComparison.Ordinal);
        Assert.Equal(2, run.Documents.Count);
    }

    [Fact]
    public async Task A_column_value_that_is_not_a_date_or_control_is_reported_naming_the_column()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Site.File(ContosoLibrary.Roles).Fields["ReviewDue"] = "next spring";
        run.Site.File(ContosoLibrary.Policy).Fields["Controls"] = new System.Text.Json.Nodes.JsonArray("A.2.2", "A.99");

        await run.RunAsync();

        var errors = run.Errors.ToDictionary(e => e.Subject.Id[(e.Subject.Id.LastIndexOf('/') + 1)..]);
        Assert.Contains("column 'ReviewDue' is 'next spring', not a date", SharePointRun.Fact(errors["Roles.pdf"], "error")!, StringComparison.Ordinal);
        Assert.Contains("column 'Controls' names 'A.99'", SharePointRun.Fact(errors["AI Policy.docx"], "error")!, StringComparison.Ordinal);
        Assert.Equal("roles-responsibilities", SharePointRun.Fact(errors["Roles.pdf"], "documentType"));
        Assert.Single(run.Documents);
    }

    [Fact]
    public async Task A_refused_delta_link_makes_a_full_read_instead()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        await run.RunAsync();
        run.Site.RefuseDeltaTokens = true;

        await run.RunAsync();

        Assert.Equal(3, run.Documents.Count);
        Assert.Empty(run.Errors);
        Assert.Equal(1, run.Api.Count("GET", $"{DrivePath}/items/root/delta()"));
        Assert.Equal(0, run.Downloads);
        Assert.All(run.Documents, d => Assert.Equal("full", SharePointRun.Fact(d, "readMode")));
    }

    [Fact]
    public async Task Damaged_collector_state_means_a_full_read()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        await run.RunAsync();
        var state = Directory.EnumerateFiles(run.Harness.StorePath, "*", SearchOption.AllDirectories).Single(f => f.Contains("collector-state", StringComparison.Ordinal) && f.Contains("SharePoint", StringComparison.Ordinal));
        await File.WriteAllTextAsync(state, "{ not json");

        await run.RunAsync();

        Assert.Equal(3, run.Documents.Count);
        Assert.Equal(3, run.Downloads);
        Assert.All(run.Documents, d => Assert.Equal("full", SharePointRun.Fact(d, "readMode")));
    }

    [Fact]
    public async Task A_library_the_site_does_not_have_is_reported_with_the_libraries_it_has()
    {
        await using var run = SharePointRun.Create(fake.Api, s => s["Libraries:0:Library"] = "Policy Library");
        run.Site.Seed();

        await run.RunAsync();

        var error = Assert.Single(run.Items);
        Assert.True(error.IsCollectorError);
        Assert.Contains("no document library 'Policy Library' (it has: Governance Documents, Site Assets)", SharePointRun.Fact(error, "error")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_is_not_sent_to_the_download_host_the_content_request_redirects_to()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Site.DownloadRoot = run.Api.Root.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        await run.RunAsync();

        Assert.Equal(3, run.Documents.Count);
        var downloads = run.Api.Requests.Where(r => r.Path.StartsWith("/download/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, downloads.Count);
        Assert.All(downloads, d => Assert.True(string.IsNullOrEmpty(d.Authorization), $"the download of {d.Path} carried '{d.Authorization}'"));
        Assert.All(run.Api.To("GET", $"{DrivePath}/items/{ContosoLibrary.Policy}/content"), r => Assert.Equal("Bearer fake-test-token", r.Authorization));
    }

    [Fact]
    public async Task The_access_token_never_reaches_the_store()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Api.OnJson("GET", $"/download/{ContosoLibrary.Policy}", Error("accessDenied", "denied"), 403);

        await run.RunAsync();

        Assert.DoesNotContain("fake-test-token", run.Harness.AllStoredText(), StringComparison.Ordinal);
    }
}
