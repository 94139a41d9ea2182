using System.Text.Json;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

/// <summary>The three formats open with the same first screen: next audit, readiness, unconfigured sources, the plan.</summary>
public sealed class FirstScreenTests
{
    [Fact]
    public async Task Html_opens_with_the_next_audit_readiness_and_plan_before_any_other_section()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var view = new DigestView(report);

        var html = await Render.DigestAsync(report, DigestFormat.Html);

        var plan = html.IndexOf("<h2 id=\"plan\">", StringComparison.Ordinal);
        Assert.True(html.IndexOf("id=\"next-audit\">2026-09-01 (in 78 days)<", StringComparison.Ordinal) is > 0 and var audit && audit < plan);
        Assert.True(html.IndexOf($"id=\"readiness\">{view.Readiness.Text}<", StringComparison.Ordinal) is > 0 and var readiness && readiness < plan);
        Assert.True(plan < html.IndexOf("<h2 id=\"contents\">", StringComparison.Ordinal));
        Assert.True(plan < html.IndexOf("<h2 id=\"overview\">", StringComparison.Ordinal));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(view.Plan[0].NextStep).Replace("&#39;", "&#x27;", StringComparison.Ordinal), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_opens_with_readiness_and_the_whole_plan_in_due_order()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var view = new DigestView(report);

        var markdown = await Render.DigestAsync(report, DigestFormat.Markdown);

        var lines = markdown.Split('\n');
        Assert.Contains($"- Readiness: {view.Readiness.Text}", lines);
        var planAt = Array.IndexOf(lines, "## The plan");
        Assert.True(planAt > 0 && planAt < Array.IndexOf(lines, "## Summary"));
        var rows = lines.Skip(planAt + 4).TakeWhile(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal(view.Plan.Count, rows.Count);
        Assert.StartsWith("| now | failing: fix: ", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_leads_with_readiness_plan_and_changes_before_the_counts()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var view = new DigestView(report);

        using var json = await Render.JsonDigestAsync(report);

        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(names.IndexOf("readiness") < names.IndexOf("counts"));
        Assert.True(names.IndexOf("plan") < names.IndexOf("counts"));
        var readiness = json.RootElement.GetProperty("readiness");
        Assert.Equal(view.Readiness.Ready, readiness.GetProperty("ready").GetInt32());
        Assert.Equal(view.Readiness.SourceNotConfigured, readiness.GetProperty("sourceNotConfigured").GetInt32());
        var plan = json.RootElement.GetProperty("plan").EnumerateArray().ToList();
        Assert.Equal(view.Plan.Select(a => a.NextStep), plan.Select(a => a.GetProperty("nextStep").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("changes").ValueKind);
    }

    [Fact]
    public async Task Email_page_is_the_first_screen_alone_with_a_link_to_the_full_digest()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();

        var page = HtmlDigestWriter.FirstScreenPage(report, new Uri("https://intranet.example/aims/digest.html"));

        Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"readiness\"", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"plan\">", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://intranet.example/aims/digest.html\">Open the full digest</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"#", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"heat-map\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Owner_tables_name_an_unconfigured_source_once_instead_of_repeating_its_setting_hints()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var html = await Render.DigestAsync(await sample.AnalyzeAsync(), DigestFormat.Html);

        var hint = "Aims:Sources:Entra is not set";
        Assert.Equal(1, CountOf(html, hint));
        Assert.Contains("Source not configured (entra).", html, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
