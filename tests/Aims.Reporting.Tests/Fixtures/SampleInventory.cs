using Aims.Evidence.Gaps;
using Aims.Evidence.Inventory;

namespace Aims.Reporting.Tests.Fixtures;

/// <summary>Adds an inventory to a sample report: fraud-model and chatbot, each requiring two of the report's requirements as records.</summary>
public static class SampleInventory
{
    public static GapReport With(GapReport report)
    {
        var records = report.Requirements.Where(r => r.Requirement.Id is "ai-policy" or "impact-assessments").ToList();
        return report with
        {
            AiSystems =
            [
                new AiSystemResult(System("fraud-model", "Fraud scoring model"), GapStatusNames.Worst(records.Select(r => r.Status)), records, []),
                new AiSystemResult(System("chatbot", "Customer chatbot"), records[0].Status, [records[0]], []),
            ],
        };
    }

    private static AiSystem System(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Purpose = "sample",
        Lifecycle = "deployed",
        RiskClass = "high",
        Sourcing = "built",
        ActsAutonomously = false,
        Footprint = AiSystemFootprint.Empty,
    };
}
