using System.Globalization;
using System.Text.Json;
using Aims.Evidence.Gaps;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed class JsonDigestWriterTests
{
    private static readonly string[] StatusNames = ["ok", "missing", "stale", "expiring", "failing", "collector-error", "not-applicable"];

    public sealed class WriteAsync
    {
        [Fact]
        public async Task Writes_the_contract_fields_at_the_top_level()
        {
            // Given a gap report over the sample store
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            // When it is written as JSON
            using var json = await Render.JsonDigestAsync(report);
            var root = json.RootElement;

            // Then the fields tooling relies on are there with their types
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.Equal(SampleEvidence.Organization, root.GetProperty("organization").GetString());
            Assert.Equal("2026-06-15T08:00:00.000Z", root.GetProperty("asOf").GetString());
            Assert.Equal("2026-09-01T00:00:00.000Z", root.GetProperty("nextAudit").GetString());
            Assert.Equal(78, root.GetProperty("daysUntilNextAudit").GetInt32());
            Assert.Equal(JsonValueKind.Object, root.GetProperty("counts").ValueKind);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("controls").ValueKind);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("requirements").ValueKind);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("collectorProblems").ValueKind);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("sources").ValueKind);
        }

        [Fact]
        public async Task Counts_every_status_by_name_and_adds_up_to_the_controls()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            var counts = json.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(StatusNames.Order(), counts.Keys.Order());
            Assert.Equal(report.Controls.Count, counts.Values.Sum());
            foreach (var (status, count) in report.ControlCounts)
            {
                Assert.Equal(count, counts[status.ToName()]);
            }

            var requirementCounts = json.RootElement.GetProperty("requirementCounts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            Assert.Equal(report.Requirements.Count, requirementCounts.Values.Sum());
        }

        [Fact]
        public async Task Describes_each_control_with_its_requirements_and_subjects()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            var controls = json.RootElement.GetProperty("controls").EnumerateArray().ToList();
            Assert.Equal(report.Controls.Count, controls.Count);
            foreach (var control in controls)
            {
                Assert.False(string.IsNullOrEmpty(control.GetProperty("id").GetString()));
                Assert.False(string.IsNullOrEmpty(control.GetProperty("title").GetString()));
                Assert.Contains(control.GetProperty("type").GetString(), new[] { "annex-a", "clause" });
                Assert.Contains(control.GetProperty("status").GetString(), StatusNames);
                foreach (var requirement in control.GetProperty("requirements").EnumerateArray())
                {
                    foreach (var field in new[] { "id", "kind", "status", "reason", "owner", "freshness" })
                    {
                        Assert.Equal(JsonValueKind.String, requirement.GetProperty(field).ValueKind);
                    }

                    Assert.Contains(requirement.GetProperty("status").GetString(), StatusNames);
                    Assert.Equal(JsonValueKind.Array, requirement.GetProperty("subjects").ValueKind);
                }
            }

            var a22 = controls.Single(c => c.GetProperty("id").GetString() == "A.2.2");
            Assert.Equal("AI policy", a22.GetProperty("title").GetString());
            Assert.Equal("annex-a", a22.GetProperty("type").GetString());
            Assert.Equal("ok", a22.GetProperty("status").GetString());
            var policy = a22.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "ai-policy");
            Assert.Equal("document", policy.GetProperty("kind").GetString());
            Assert.Equal("AI Governance Lead", policy.GetProperty("owner").GetString());
            Assert.Equal("P1Y", policy.GetProperty("freshness").GetString());
            Assert.Contains(controls, c => c.GetProperty("type").GetString() == "clause");
        }

        [Fact]
        public async Task Gives_each_subject_its_evidence_date_fresh_until_and_item_id()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            var policy = json.RootElement.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "ai-policy");
            var subject = Assert.Single(policy.GetProperty("subjects").EnumerateArray());
            Assert.Equal("document/governance/policy.md", subject.GetProperty("subject").GetString());
            Assert.Equal("ok", subject.GetProperty("status").GetString());
            Assert.Equal(sample.Ids["policy"], subject.GetProperty("itemId").GetString());
            Assert.Equal("2026-01-10T00:00:00.000Z", subject.GetProperty("evidenceDate").GetString());
            Assert.Equal("2027-01-10T00:00:00.000Z", subject.GetProperty("freshUntil").GetString());
            Assert.Equal("2026-01-15T10:00:00.000Z", subject.GetProperty("observedAt").GetString());
            Assert.Contains(subject.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "document-approved" && c.GetProperty("outcome").GetString() == "pass");
        }

        [Fact]
        public async Task Lists_controls_and_requirements_most_urgent_first()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            static List<GapStatus> Statuses(JsonElement array) => array.EnumerateArray().Select(e => GapStatusNames.Parse(e.GetProperty("status").GetString()!)).ToList();
            var controls = Statuses(json.RootElement.GetProperty("controls"));
            var requirements = Statuses(json.RootElement.GetProperty("requirements"));
            Assert.Equal(controls.OrderDescending(), controls);
            Assert.Equal(requirements.OrderDescending(), requirements);
            Assert.Equal(GapStatus.Missing, controls[0]);
            Assert.Contains(GapStatus.Failing, controls);
            Assert.Contains(GapStatus.Ok, controls);
        }

        [Fact]
        public async Task Lists_an_unconfigured_source_as_not_configured()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            var entra = json.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Entra");
            Assert.False(entra.GetProperty("configured").GetBoolean());
            Assert.Equal("not configured", entra.GetProperty("state").GetString());
            var entraRequirement = json.RootElement.GetProperty("requirements").EnumerateArray().First(r => r.GetProperty("kind").GetString()!.StartsWith("entra.", StringComparison.Ordinal));
            Assert.False(entraRequirement.GetProperty("sourceConfigured").GetBoolean());
            Assert.Contains("not configured", entraRequirement.GetProperty("reason").GetString());
        }

        [Fact]
        public async Task Reports_collector_problems_with_their_error()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            var problem = Assert.Single(json.RootElement.GetProperty("collectorProblems").EnumerateArray());
            Assert.Equal("repository/contoso/chatbot", problem.GetProperty("subject").GetString());
            Assert.Equal("github.pull-requests", problem.GetProperty("kind").GetString());
            Assert.Equal(sample.Ids["chatbot-prs"], problem.GetProperty("itemId").GetString());
            Assert.Contains("403", problem.GetProperty("error").GetString());
            Assert.True(DateTimeOffset.TryParseExact(problem.GetProperty("observedAt").GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        }

        [Fact]
        public async Task Gives_a_section_per_ai_system_found_in_subjects()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync();

            using var json = await Render.JsonDigestAsync(report);

            var systems = json.RootElement.GetProperty("aiSystems").EnumerateArray().ToList();
            Assert.Equal(["chatbot", "fraud-model"], systems.Select(s => s.GetProperty("id").GetString()));
            var fraud = systems[1];
            var protection = fraud.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "branch-protection");
            Assert.Equal("stale", protection.GetProperty("status").GetString());
            Assert.Equal(["repository/contoso/fraud-model"], protection.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
            var chatbot = systems[0];
            Assert.Equal("failing", chatbot.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "branch-protection").GetProperty("status").GetString());
        }

        [Fact]
        public async Task Names_the_ai_system_filter_and_leaves_no_audit_date_null_when_none_is_scheduled()
        {
            using var sample = await SampleEvidence.CreateAsync();
            var report = await sample.AnalyzeAsync(aiSystem: "fraud-model") with { NextAudit = null };

            using var json = await Render.JsonDigestAsync(report);

            Assert.Equal("fraud-model", json.RootElement.GetProperty("aiSystemFilter").GetString());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("nextAudit").ValueKind);
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("daysUntilNextAudit").ValueKind);
        }
    }
}
