using System.Text.Json.Nodes;
using Aims.Evidence.Checks;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;

namespace Aims.Evidence.Tests;

public sealed class AlertsReadableCheckTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Security_alerts_that_could_not_be_read_never_pass()
    {
        var item = Alerts(Tool(true, 0), Tool(false, null, "disabled or not permitted (403)"), Tool(false, null, "not enabled or not found (404)"));

        var result = new AlertsReadableCheck().Evaluate(item, new CheckSpec("alerts-readable", new Dictionary<string, string>()), AsOf);

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Contains("code scanning (disabled or not permitted (403))", result.Reason);
        Assert.Contains("secret scanning", result.Reason);
    }

    [Fact]
    public void Security_alerts_read_from_every_tool_pass()
    {
        var item = Alerts(Tool(true, 0), Tool(true, 2), Tool(true, 0));

        var result = new AlertsReadableCheck().Evaluate(item, new CheckSpec("alerts-readable", new Dictionary<string, string>()), AsOf);

        Assert.Equal(CheckOutcome.Pass, result.Outcome);
    }

    [Fact]
    public void The_default_security_alerts_requirement_checks_that_alerts_were_readable()
    {
        var requirement = RequirementSet.LoadDefaults().Requirements.Single(r => r.Id == "security-alerts");

        Assert.Contains(requirement.Checks, c => c.Name == "alerts-readable");
        Assert.NotNull(CheckRegistry.Default.Find("alerts-readable"));
    }

    private static JsonObject Tool(bool available, int? open, string? reason = null)
    {
        var tool = new JsonObject { ["available"] = available, ["open"] = open };
        if (reason is not null)
        {
            tool["reason"] = reason;
        }

        return tool;
    }

    private static EvidenceItem Alerts(JsonObject dependabot, JsonObject codeScanning, JsonObject secretScanning) => new()
    {
        Id = "i",
        Kind = "github.security-alerts",
        Controls = ["A.10.3"],
        Subject = new Subject("repository", "contoso/fraud", "contoso/fraud"),
        Source = new EvidenceSource("github", "https://api.github.com/", "/repos/contoso/fraud/dependabot/alerts", "github", "1"),
        RunId = "r",
        JobId = "j",
        ObservedAt = AsOf,
        Summary = "alerts",
        Facts = new JsonObject { ["dependabot"] = dependabot, ["codeScanning"] = codeScanning, ["secretScanning"] = secretScanning },
    };
}
