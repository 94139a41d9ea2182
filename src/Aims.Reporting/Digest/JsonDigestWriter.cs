using System.Text.Json;
using Aims.Evidence.Checks;
using Aims.Evidence.Gaps;
using Aims.Reporting.IO;

namespace Aims.Reporting.Digest;

/// <summary>
/// Writes the digest as JSON, streaming. Tooling relies on this shape, so change it only additively:
/// <c>organization</c>, <c>asOf</c>, <c>nextAudit</c>, then the first screen (<c>readiness</c>, <c>plan</c>,
/// <c>changes</c>, <c>trend</c>), <c>counts</c> (control counts per status name),
/// <c>controls</c> (each with its <c>requirements</c>), <c>requirements</c>, <c>collectorProblems</c>, <c>sources</c>;
/// and, beside them, <c>aiSystemFilter</c>, <c>daysUntilNextAudit</c>, <c>requirementCounts</c> and <c>aiSystems</c>.
/// </summary>
public static class JsonDigestWriter
{
    private const int FlushThreshold = 32 * 1024;

    public static Task WriteAsync(GapReport report, Stream output, CancellationToken cancellationToken = default) =>
        WriteAsync(new DigestView(report), output, cancellationToken);

    public static async Task WriteAsync(DigestView view, Stream output, CancellationToken cancellationToken = default)
    {
        var report = view.Report;
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("organization", report.Organization);
        json.WriteString("asOf", Timestamps.Iso(report.AsOf));
        WriteTime(json, "nextAudit", report.NextAudit);
        if (view.DaysUntilNextAudit is { } days)
        {
            json.WriteNumber("daysUntilNextAudit", days);
        }
        else
        {
            json.WriteNull("daysUntilNextAudit");
        }

        WriteNullableString(json, "aiSystemFilter", report.AiSystemFilter);
        JsonFirstScreen.Write(json, view);
        WriteCounts(json, "counts", report.ControlCounts);
        WriteCounts(json, "requirementCounts", report.RequirementCounts);

        json.WriteStartArray("controls");
        foreach (var control in view.Controls)
        {
            json.WriteStartObject();
            json.WriteString("id", control.Control.Id);
            json.WriteString("title", control.Control.Title);
            json.WriteString("type", control.Control.TypeName);
            json.WriteString("status", control.Status.ToName());
            json.WriteStartArray("requirements");
            foreach (var requirement in control.Requirements.OrderByDescending(r => r.Status).ThenBy(r => r.Requirement.Id, StringComparer.Ordinal))
            {
                WriteRequirement(json, requirement);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
        }

        json.WriteEndArray();

        json.WriteStartArray("requirements");
        foreach (var requirement in view.Requirements)
        {
            WriteRequirement(json, requirement);
            await FlushIfFullAsync(json, cancellationToken).ConfigureAwait(false);
        }

        json.WriteEndArray();

        json.WriteStartArray("collectorProblems");
        foreach (var problem in report.CollectorProblems)
        {
            json.WriteStartObject();
            json.WriteString("source", problem.Source);
            json.WriteString("kind", problem.Kind);
            json.WriteString("subject", problem.SubjectKey);
            json.WriteString("itemId", problem.ItemId);
            json.WriteString("observedAt", Timestamps.Iso(problem.ObservedAt));
            json.WriteString("error", problem.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("sources");
        foreach (var source in report.Sources)
        {
            json.WriteStartObject();
            json.WriteString("name", source.Name);
            json.WriteString("family", source.Family);
            json.WriteBoolean("configured", source.Configured);
            json.WriteString("state", source.Configured ? "configured" : "not configured");
            json.WriteString("detail", source.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("aiSystems");
        foreach (var system in view.AiSystems)
        {
            json.WriteStartObject();
            json.WriteString("id", system.AiSystem);
            json.WriteString("status", system.Status.ToName());
            if (system.Entry is { } entry)
            {
                json.WriteString("name", entry.Name);
                json.WriteString("riskClass", entry.RiskClass);
                json.WriteString("lifecycle", entry.Lifecycle);
                json.WriteString("businessOwner", entry.BusinessOwner);
                json.WriteString("technicalOwner", entry.TechnicalOwner);
            }

            json.WriteStartArray("requirements");
            foreach (var row in system.Requirements)
            {
                json.WriteStartObject();
                json.WriteString("id", row.Requirement.Requirement.Id);
                json.WriteString("status", row.Status.ToName());
                json.WriteString("reason", row.Requirement.Reason);
                json.WriteStartArray("subjects");
                foreach (var subject in row.Subjects)
                {
                    json.WriteStringValue(subject.SubjectKey);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("unregisteredAi");
        foreach (var finding in view.UnregisteredAi)
        {
            json.WriteStartObject();
            json.WriteString("kind", finding.Kind);
            json.WriteString("subject", finding.SubjectKey);
            json.WriteString("name", finding.Name);
            json.WriteString("foundIn", finding.FoundIn);
            json.WriteString("reason", finding.Reason);
            json.WriteString("itemId", finding.ItemId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WriteRequirement(Utf8JsonWriter json, RequirementResult result)
    {
        var requirement = result.Requirement;
        json.WriteStartObject();
        json.WriteString("id", requirement.Id);
        json.WriteString("kind", requirement.Kind);
        json.WriteString("status", result.Status.ToName());
        json.WriteString("reason", result.Reason);
        json.WriteString("owner", requirement.Owner);
        json.WriteString("freshness", requirement.Freshness.ToString());
        json.WriteStartArray("controls");
        foreach (var control in requirement.Controls)
        {
            json.WriteStringValue(control);
        }

        json.WriteEndArray();
        json.WriteString("scope", requirement.Scope.ToString());
        json.WriteBoolean("sourceConfigured", result.SourceConfigured);
        if (result.Waiver is { } waiver)
        {
            json.WriteStartObject("waiver");
            json.WriteString("reason", waiver.Reason);
            json.WriteString("expires", Timestamps.Iso(waiver.Expires));
            WriteNullableString(json, "approvedBy", waiver.ApprovedBy);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("waiver");
        }

        json.WriteStartArray("subjects");
        foreach (var subject in result.Subjects)
        {
            WriteSubject(json, subject);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSubject(Utf8JsonWriter json, SubjectResult subject)
    {
        json.WriteStartObject();
        json.WriteString("subject", subject.SubjectKey);
        json.WriteString("displayName", subject.DisplayName);
        json.WriteStartArray("aiSystems");
        foreach (var system in subject.AiSystems)
        {
            json.WriteStringValue(system);
        }

        json.WriteEndArray();
        json.WriteString("status", subject.Status.ToName());
        json.WriteString("reason", subject.Reason);
        WriteNullableString(json, "itemId", subject.ItemId);
        WriteTime(json, "observedAt", subject.ObservedAt);
        WriteTime(json, "evidenceDate", subject.EvidenceDate);
        WriteTime(json, "freshUntil", subject.FreshUntil);
        json.WriteStartArray("checks");
        foreach (var check in subject.Checks)
        {
            json.WriteStartObject();
            json.WriteString("check", check.Check);
            json.WriteString("outcome", check.Outcome switch
            {
                CheckOutcome.Pass => "pass",
                CheckOutcome.Fail => "fail",
                _ => "not-applicable",
            });
            json.WriteString("reason", check.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyDictionary<GapStatus, int> counts)
    {
        json.WriteStartObject(name);
        foreach (var status in DigestView.StatusesByUrgency)
        {
            json.WriteNumber(status.ToName(), counts.GetValueOrDefault(status));
        }

        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, Timestamps.Iso(v));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static async ValueTask FlushIfFullAsync(Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        if (json.BytesPending > FlushThreshold)
        {
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
