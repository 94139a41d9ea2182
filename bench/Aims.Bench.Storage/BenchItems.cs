using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Bench.Storage;

/// <summary>Realistic evidence items (about 1 KB of canonical JSON each) for the benchmarks.</summary>
internal static class BenchItems
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Kinds the default requirements name, so gap analysis has work to do for every one.</summary>
    public static readonly string[] Kinds =
    [
        "document", "github.repository", "github.branch-protection", "github.pull-requests",
        "entra.group-members", "entra.ai-apps", "azure.ai-resources", "azure.model-deployments",
    ];

    /// <summary>Observation <paramref name="run"/> of subject <paramref name="subject"/>.</summary>
    public static EvidenceItem Item(int subject, int run, string runPrefix = "run")
    {
        var kind = Kinds[subject % Kinds.Length];
        var subjectRef = new Subject(kind == "document" ? "document" : "resource", $"contoso/subject-{subject:D5}", $"Subject {subject}", ["fraud-model"]);
        var observed = Start.AddDays(run);
        return EvidenceItemJson.Seal(new EvidenceItem
        {
            Id = ItemIds.For($"{runPrefix}-{run:D4}", $"job-{subject % 16:D2}", subjectRef, kind),
            Kind = kind,
            Controls = ["A.2.2", "A.6.2.6"],
            Subject = subjectRef,
            Source = new EvidenceSource("bench", "https://example.invalid", $"/subjects/{subject}", "bench", "1.0.0"),
            RunId = $"{runPrefix}-{run:D4}",
            JobId = $"job-{subject % 16:D2}",
            ObservedAt = observed,
            EvidenceDate = kind == "document" ? observed.AddDays(-3) : null,
            Summary = $"Observation {run} of subject {subject}: settings as expected.",
            Facts = new JsonObject
            {
                ["title"] = $"Subject {subject}",
                ["approvedBy"] = "governance-board",
                ["approvedAt"] = observed.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["reviewers"] = new JsonArray("alice", "bob"),
                ["settings"] = new JsonObject { ["requiredApprovals"] = 2, ["enforceAdmins"] = true, ["dismissStale"] = true },
                ["notes"] = new string('x', 400),
            },
        });
    }
}
