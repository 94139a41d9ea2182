using System.Text.Json.Nodes;
using Aims.Evidence.Gaps;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Testing;

namespace Aims.Evidence.Tests;

public sealed class InventoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string ValidSystem = """
        aiSystems:
          - id: fraud-scoring
            name: Fraud scoring
            purpose: Scores transactions
            businessOwner: Fraud Ops
            technicalOwner: ML Eng
            lifecycle: deployed
            riskClass: high
            sourcing: built
            actsAutonomously: false
            footprint:
              repositories: [contoso/fraud-*, contoso/fraud-scoring]
              azureResources: [/subscriptions/1/resourceGroups/rg-fraud, "tag:ai-system=fraud-scoring"]
              ticketProjects: [FRAUD]
              documentFolders: [systems/fraud]
              entraApps: [11111111-2222-3333-4444-555555555555]
        """;

    [Fact]
    public void Loads_systems_with_their_footprint()
    {
        var inventory = Load(ValidSystem);

        var system = Assert.Single(inventory.Systems);
        Assert.Equal("high", system.RiskClass);
        Assert.Equal(["FRAUD"], system.Footprint.TicketProjects);
        Assert.Equal(AiInventory.DefaultRequiredRecords, inventory.RequiredRecords);
    }

    [Theory]
    [InlineData("riskClass: high", "riskClass: spicy", "field 'riskClass' is 'spicy'")]
    [InlineData("lifecycle: deployed", "lifecycle: live", "field 'lifecycle' is 'live'")]
    [InlineData("actsAutonomously: false", "actsAutonomously: sometimes", "field 'actsAutonomously' is 'sometimes'")]
    [InlineData("    name: Fraud scoring\n", "", "field 'name' is required")]
    [InlineData("sourcing: built", "sourcing: built\n    colour: red", "unknown field 'colour'")]
    [InlineData("ticketProjects: [FRAUD]", "tickets: [FRAUD]", "unknown footprint field 'tickets'")]
    public void A_malformed_entry_names_file_entry_and_field(string find, string replace, string reason)
    {
        var path = Write(ValidSystem.Replace(find, replace, StringComparison.Ordinal));

        var error = Assert.Throws<RequirementsException>(() => AiInventory.Load(path, RequirementSet.LoadDefaults()));

        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains("AI system 'fraud-scoring'", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_required_record_must_name_a_requirement()
    {
        var path = Write(ValidSystem + "\nrequiredRecords: [impact-assessments, horoscope]\n");

        var error = Assert.Throws<RequirementsException>(() => AiInventory.Load(path, RequirementSet.LoadDefaults()));

        Assert.Contains("'horoscope', which is not a requirement", error.Message);
    }

    [Theory]
    [InlineData("repository", "contoso/fraud-features", true)]
    [InlineData("repository", "contoso/fraud-scoring", true)]
    [InlineData("repository", "contoso/website", false)]
    [InlineData("document", "systems/fraud/impact.md", true)]
    [InlineData("document", "systems/fraudulent.md", false)]
    [InlineData("azure-resource", "/subscriptions/1/resourcegroups/rg-fraud/providers/microsoft.cognitiveservices/accounts/oai", true)]
    [InlineData("azure-resource", "/subscriptions/1/resourceGroups/rg-fraud-other", false)]
    [InlineData("entra-app", "11111111-2222-3333-4444-555555555555", true)]
    public void Attributes_subjects_through_the_footprint(string type, string id, bool expected)
    {
        var attribution = new FootprintAttribution(Load(ValidSystem.Replace("contoso/fraud-*", "contoso/fraud-features", StringComparison.Ordinal)));

        var systems = attribution.AttributeTo(new Subject(type, id, id), []);

        Assert.Equal(expected, systems.Contains("fraud-scoring"));
    }

    [Fact]
    public void Attributes_by_tag_and_by_ticket_project_facts()
    {
        var attribution = new FootprintAttribution(Load(ValidSystem));

        Assert.Equal(["fraud-scoring"], attribution.AttributeTo(new Subject("azure-resource", "/subscriptions/9/x", "x"), new JsonObject { ["tags"] = new JsonObject { ["AI-System"] = "fraud-scoring" } }));
        Assert.Equal(["fraud-scoring"], attribution.AttributeTo(new Subject("ticket-query", "jira/incidents", "incidents"), new JsonObject { ["project"] = "fraud" }));
        Assert.Empty(attribution.AttributeTo(new Subject("ticket-query", "jira/incidents", "incidents"), new JsonObject { ["project"] = "HR" }));
    }

    [Fact]
    public void Flags_ai_looking_subjects_that_no_entry_claims()
    {
        var inventory = Load(ValidSystem);
        var items = new[]
        {
            Item("github.repository", new Subject("repository", "contoso/shadow-llm", "contoso/shadow-llm"), new JsonObject { ["topics"] = new JsonArray("llm", "python") }),
            Item("github.repository", new Subject("repository", "contoso/fraud-scoring", "contoso/fraud-scoring", ["fraud-scoring"]), new JsonObject { ["topics"] = new JsonArray("ml") }),
            Item("github.repository", new Subject("repository", "contoso/website", "contoso/website"), new JsonObject { ["topics"] = new JsonArray("web") }),
            Item("entra.third-party-apps", new Subject("tenant", "contoso", "Contoso tenant"), new JsonObject
            {
                ["servicePrincipals"] = new JsonArray(
                    new JsonObject { ["appId"] = "aaaa", ["displayName"] = "ChatGPT Enterprise" },
                    new JsonObject { ["appId"] = "bbbb", ["displayName"] = "Payroll" }),
            }),
        };

        var findings = UnregisteredAiDetector.Find(inventory, items).ToList();

        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.SubjectKey == "repository/contoso/shadow-llm" && f.Reason.Contains("'llm'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Name == "ChatGPT Enterprise" && f.Reason.Contains("chatgpt", StringComparison.OrdinalIgnoreCase));
    }

    private AiInventory Load(string yaml) => AiInventory.Load(Write(yaml), RequirementSet.LoadDefaults());

    private string Write(string yaml)
    {
        var path = _dir.Combine($"inventory-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static EvidenceItem Item(string kind, Subject subject, JsonObject facts) => EvidenceItemJson.Seal(new EvidenceItem
    {
        Id = ItemIds.For("r", "j", subject, kind),
        Kind = kind,
        Controls = ["A.4.2"],
        Subject = subject,
        Source = new EvidenceSource("github", "https://api.github.com", "/orgs/contoso/repos", "GitHubCollector", "1"),
        RunId = "r",
        JobId = "j",
        ObservedAt = DateTimeOffset.UnixEpoch,
        Summary = "s",
        Facts = facts,
    });
}
