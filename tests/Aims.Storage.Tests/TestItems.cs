using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Items;

namespace Aims.Storage.Tests;

/// <summary>Builds sealed evidence items for store tests.</summary>
internal static class TestItems
{
    public static readonly DateTimeOffset Monday = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    public static EvidenceItem Document(
        string subjectId,
        DateTimeOffset? observedAt = null,
        string runId = "run-1",
        string jobId = "job-1",
        string kind = EvidenceKinds.Document,
        string summary = "Policy approved",
        string? rawSha256 = null)
    {
        var subject = new Subject("document", subjectId, $"Document {subjectId}", ["fraud-model"]);
        return EvidenceItemJson.Seal(new EvidenceItem
        {
            Id = ItemIds.For(runId, jobId, subject, kind),
            Kind = kind,
            Controls = ["A.2.2", "A.2.3"],
            Subject = subject,
            Source = new EvidenceSource("documents", "samples/contoso", $"policies/{subjectId}.md", "documents", "1.0.0"),
            RunId = runId,
            JobId = jobId,
            ObservedAt = observedAt ?? Monday,
            Summary = summary,
            Facts = new JsonObject { ["title"] = $"Document {subjectId}", ["approved"] = true },
            RawSha256 = rawSha256,
            RawMediaType = rawSha256 is null ? null : "text/markdown",
        });
    }

    /// <summary>A collector-error item standing in for <paramref name="attemptedKind"/>.</summary>
    public static EvidenceItem Error(string subjectId, string attemptedKind, DateTimeOffset observedAt, string runId = "run-1")
    {
        var subject = new Subject("document", subjectId, $"Document {subjectId}");
        return EvidenceItemJson.Seal(new EvidenceItem
        {
            Id = ItemIds.For(runId, "job-1", subject, $"{EvidenceKinds.CollectorError}:{attemptedKind}"),
            Kind = EvidenceKinds.CollectorError,
            Controls = ["A.2.2"],
            Subject = subject,
            Source = new EvidenceSource("documents", "samples/contoso", $"policies/{subjectId}.md", "documents", "1.0.0"),
            RunId = runId,
            JobId = "job-1",
            ObservedAt = observedAt,
            Summary = "Could not read the document",
            Facts = new JsonObject { ["attemptedKind"] = attemptedKind, ["error"] = "permission denied", ["source"] = "documents" },
        });
    }
}
