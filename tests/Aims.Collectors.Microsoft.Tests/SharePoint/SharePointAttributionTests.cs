using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>An AI system's footprint names SharePoint sites, libraries or folders by their URLs.</summary>
public sealed class SharePointAttributionTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    [Theory]
    [InlineData("https://contoso.sharepoint.com/sites/ai-governance/Governance%20Documents/Assessments", true)]
    [InlineData("https://contoso.sharepoint.com/sites/ai-governance/Governance Documents/", true)]
    [InlineData("https://contoso.sharepoint.com/sites/ai-governance", true)]
    [InlineData("https://CONTOSO.sharepoint.com/sites/AI-Governance/governance documents/assessments", true)]
    [InlineData("https://contoso.sharepoint.com/sites/ai-governance/Governance Documents/Policies", false)]
    [InlineData("https://contoso.sharepoint.com/sites/ai", false)]
    public void A_site_library_or_folder_URL_covers_the_documents_under_it(string place, bool covers)
    {
        var footprint = AiSystemFootprint.Empty with { SharePoint = [SharePointFootprint.Normalize(place)] };
        var subject = new Subject("document", "contoso.sharepoint.com/sites/ai-governance/Governance Documents/Assessments/Fraud impact assessment.md", "Fraud impact assessment");

        Assert.Equal(covers, FootprintAttribution.Covers(footprint, subject, []));
    }

    [Fact]
    public async Task Documents_collected_from_a_footprint_folder_are_attributed_to_its_AI_system()
    {
        // Given an inventory whose fraud-scoring system names the Assessments folder of the library
        using var folder = new Aims.Testing.TempDirectory("aims-inventory");
        var inventoryFile = WriteInventory(folder, "\"https://contoso.sharepoint.com/sites/ai-governance/Governance%20Documents/Assessments\"");
        var inventory = AiInventory.Load(inventoryFile, RequirementSet.LoadDefaults());
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Seed();
        run.Site.File(ContosoLibrary.Policy).Fields.Remove("AiSystems");

        // When the library is collected through a recorder that attributes by footprint
        var attribution = new FootprintAttribution(inventory);
        var impactSubject = new Subject("document", "contoso.sharepoint.com/sites/ai-governance/Governance Documents/Assessments/Fraud impact assessment.md", "x");
        var policySubject = new Subject("document", "contoso.sharepoint.com/sites/ai-governance/Governance Documents/Policies/AI Policy.docx", "x");

        // Then the assessment belongs to fraud-scoring and the policy (outside the folder) to no system
        Assert.Equal(["fraud-scoring"], attribution.AttributeTo(impactSubject, new JsonObject()));
        Assert.Empty(attribution.AttributeTo(policySubject, new JsonObject()));
        await run.RunAsync();
        Assert.Contains(run.Documents, d => d.Subject.Id == impactSubject.Id);
        Assert.Contains(run.Documents, d => d.Subject.Id == policySubject.Id);
    }

    [Fact]
    public void A_footprint_entry_that_is_not_a_URL_is_refused_naming_the_system()
    {
        using var folder = new Aims.Testing.TempDirectory("aims-inventory");
        var inventoryFile = WriteInventory(folder, "ai-governance");

        var error = Assert.Throws<RequirementsException>(() => AiInventory.Load(inventoryFile, RequirementSet.LoadDefaults()));

        Assert.Contains("AI system 'fraud-scoring': footprint sharePoint 'ai-governance' must be a site, library or folder URL", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An inventory with one system, fraud-scoring, whose footprint names <paramref name="sharePoint"/>.</summary>
    private static string WriteInventory(Aims.Testing.TempDirectory folder, string sharePoint)
    {
        var file = Path.Combine(folder.Path, "inventory.yaml");
        File.WriteAllText(file, $"""
            aiSystems:
              - id: fraud-scoring
                name: Fraud scoring
                purpose: Scores card transactions for fraud
                lifecycle: deployed
                riskClass: high
                sourcing: built
                actsAutonomously: false
                footprint:
                  sharePoint: [{sharePoint}]
            """);
        return file;
    }
}
