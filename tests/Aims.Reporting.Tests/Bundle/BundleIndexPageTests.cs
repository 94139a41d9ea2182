using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Bundle;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Bundle;

public sealed class BundleIndexPageTests
{
    [Fact]
    public async Task Index_lists_every_control_and_clause_record_with_status_and_evidence_count()
    {
        // Given a bundle of the whole sample
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, report);

        // When its index.html is read
        var html = Encoding.UTF8.GetString(Bundles.Files(zip)["index.html"]);

        // Then the control index has 41 entries, each linking to a section of its own
        Assert.Contains("41 controls and clause records: status and evidence items in this bundle", html, StringComparison.Ordinal);
        foreach (var control in report.Controls)
        {
            Assert.Contains($"<tr><th scope=\"row\"><a href=\"#control-{control.Control.Id}\">{control.Control.Id}</a></th>", html, StringComparison.Ordinal);
            Assert.Contains($"<section id=\"control-{control.Control.Id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<a href=\"#control-A.2.2\">A.2.2</a></th><td>AI policy</td><td><span class=\"status s-ok\">ok</span></td><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        // Two branch-protection observations and the failed pull-request collection concern A.6.1.3
        var protection = report.Controls.Single(c => c.Control.Id == "A.6.1.3").Status.ToName();
        Assert.Contains($"<a href=\"#control-A.6.1.3\">A.6.1.3</a></th><td>Processes for responsible AI system design and development</td><td><span class=\"status s-{protection}\">{protection}</span></td><td class=\"num\">3</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_rows_tell_the_evidence_date_apart_from_the_observation_and_name_the_source()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());

        var html = Encoding.UTF8.GetString(Bundles.Files(zip)["index.html"]);

        Assert.Contains("<th scope=\"col\">Evidence date</th><th scope=\"col\">Observed</th><th scope=\"col\">Period covered</th><th scope=\"col\">Source</th>", html, StringComparison.Ordinal);
        // The AI policy was approved on 2026-01-10 and observed on 2026-01-15
        Assert.Contains("<th scope=\"row\">AI Policy</th><td>document</td><td>2026-01-10</td><td><time datetime=\"2026-01-15T10:00:00.000Z\">", html, StringComparison.Ordinal);
        Assert.Contains("<td>documents ./governance</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_ai_system_shows_what_is_missing_as_well_as_what_exists()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var (zip, _) = await Bundles.WriteAsync(sample, await sample.AnalyzeAsync());

        var html = Encoding.UTF8.GetString(Bundles.Files(zip)["index.html"]);

        var chatbot = html[html.IndexOf("<h3 id=\"system-chatbot\">", StringComparison.Ordinal)..];
        var next = chatbot.IndexOf("<h3 ", 10, StringComparison.Ordinal);
        chatbot = next > 0 ? chatbot[..next] : chatbot;
        Assert.Contains("<h4>Missing or not ok</h4>", chatbot, StringComparison.Ordinal);
        Assert.Contains("<h4>Evidence in this bundle</h4>", chatbot, StringComparison.Ordinal);
        Assert.Contains("chatbot is not in the AI system inventory", chatbot, StringComparison.Ordinal);
        Assert.Contains($"evidence/items/{sample.Ids["chatbot-protection"]}.json", chatbot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inventory_system_lists_its_required_records_that_are_not_ok_before_its_evidence()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = SampleInventory.With(await sample.AnalyzeAsync());
        var (zip, _) = await Bundles.WriteAsync(sample, report);

        var html = Encoding.UTF8.GetString(Bundles.Files(zip)["index.html"]);

        var fraud = html[html.IndexOf("<h3 id=\"system-fraud-model\">Fraud scoring model (fraud-model)", StringComparison.Ordinal)..];
        fraud = fraud[..fraud.IndexOf("</section>", StringComparison.Ordinal)];
        var impact = report.Requirements.Single(r => r.Requirement.Id == "impact-assessments");
        Assert.NotEqual(GapStatus.Ok, impact.Status);
        Assert.Contains($"<tr><th scope=\"row\">impact-assessments <span class=\"muted\">(required record)</span></th><td><span class=\"status s-{impact.Status.ToName()}\">", fraud, StringComparison.Ordinal);
        Assert.DoesNotContain("<th scope=\"row\">ai-policy ", fraud, StringComparison.Ordinal);
        Assert.True(fraud.IndexOf("<h4>Missing or not ok</h4>", StringComparison.Ordinal) < fraud.IndexOf("<h4>Evidence in this bundle</h4>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Top_links_and_signature_status_given_by_the_caller_lead_the_page()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var request = new BundleRequest(Bundles.YearStart, Bundles.MidYear, report, "0.1.0-test");
        var extras = new BundleIndexExtras(
            [new("soa.html", "soa.html", "Statement of Applicability"), new("oscal/assessment-results.json", "OSCAL assessment results", "machine-readable results")],
            "signed: manifest.json.sig verifies with the organization's key");
        using var output = new MemoryStream();

        using var items = new BundleItemSpool();
        await BundleIndexPage.WriteAsync(output, request, [], report.Controls, items, Bundles.CreatedAt, extras, CancellationToken.None);

        var html = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("<dd id=\"signature\">signed: manifest.json.sig verifies with the organization&#x27;s key</dd>", html, StringComparison.Ordinal);
        var soa = html.IndexOf("<li><a href=\"soa.html\">soa.html</a>: Statement of Applicability</li>", StringComparison.Ordinal);
        var oscal = html.IndexOf("<li><a href=\"oscal/assessment-results.json\">OSCAL assessment results</a>", StringComparison.Ordinal);
        var manifest = html.IndexOf("<li><a href=\"manifest.json\">", StringComparison.Ordinal);
        Assert.True(soa > 0 && soa < oscal && oscal < manifest);
    }

    [Theory]
    [InlineData("application/json", ".json")]
    [InlineData("application/json; charset=utf-8", ".json")]
    [InlineData("text/markdown; charset=utf-8", ".md")]
    [InlineData("application/pdf", ".pdf")]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")]
    [InlineData("application/sarif+json", ".json")]
    [InlineData("application/x-unheard-of", ".bin")]
    [InlineData(null, ".bin")]
    public void Raw_payloads_are_named_with_the_extension_of_their_media_type(string? mediaType, string extension)
    {
        var sha = new string('a', 64);

        var path = BundleLayout.RawPath(sha, mediaType);

        Assert.Equal($"evidence/raw/{sha}{extension}", path);
        Assert.Equal(sha, BundleLayout.RawShaFromPath(path));
    }
}
