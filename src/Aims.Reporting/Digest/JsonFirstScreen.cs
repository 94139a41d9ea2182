using System.Text.Json;
using Aims.Evidence.Gaps;
using Aims.Reporting.IO;

namespace Aims.Reporting.Digest;

/// <summary>The JSON digest's leading members: the same readiness, plan and changes the HTML page opens with.</summary>
internal static class JsonFirstScreen
{
    public static void Write(Utf8JsonWriter json, DigestView view)
    {
        var readiness = view.Readiness;
        json.WriteStartObject("readiness");
        json.WriteNumber("ready", readiness.Ready);
        json.WriteNumber("inScope", readiness.InScope);
        if (readiness.Percent is { } percent)
        {
            json.WriteNumber("percent", percent);
        }
        else
        {
            json.WriteNull("percent");
        }

        json.WriteNumber("sourceNotConfigured", readiness.SourceNotConfigured);
        json.WriteStartArray("unconfiguredFamilies");
        foreach (var family in readiness.UnconfiguredFamilies)
        {
            json.WriteStringValue(family);
        }

        json.WriteEndArray();
        json.WriteString("text", readiness.Text);
        json.WriteEndObject();

        json.WriteStartArray("plan");
        foreach (var action in view.Plan)
        {
            json.WriteStartObject();
            json.WriteString("due", Timestamps.Iso(action.Due));
            json.WriteBoolean("dueNow", action.IsOverdue(view.Report.AsOf));
            json.WriteString("kind", action.Kind.ToString());
            json.WriteString("status", action.Status.ToName());
            json.WriteString("owner", action.Owner);
            Strings(json, "requirements", action.RequirementIds);
            Strings(json, "controls", action.Controls);
            Strings(json, "aiSystems", action.AiSystems);
            json.WriteString("nextStep", action.NextStep);
            if (action.ItemId is { } item)
            {
                json.WriteString("itemId", item);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        if (view.Changes is { } changes)
        {
            json.WriteStartObject("changes");
            json.WriteString("previousAsOf", Timestamps.Iso(changes.Previous.AsOf));
            json.WriteStartArray("items");
            foreach (var change in changes.Items)
            {
                json.WriteStartObject();
                json.WriteString("kind", MarkdownDigestWriter.ChangeTitle(change.Kind));
                json.WriteString("requirement", change.RequirementId);
                json.WriteString("owner", change.Owner);
                if (change.Subject is { } subject)
                {
                    json.WriteString("subject", subject);
                }

                if (change.Before is { } before)
                {
                    json.WriteString("before", before.ToName());
                }

                json.WriteString("after", change.After.ToName());
                if (change.ItemId is { } item)
                {
                    json.WriteString("itemId", item);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("changes");
        }

        json.WriteStartArray("trend");
        foreach (var run in view.Trend)
        {
            json.WriteStartObject();
            json.WriteString("asOf", Timestamps.Iso(run.AsOf));
            json.WriteNumber("ready", run.Ready);
            json.WriteNumber("inScope", run.InScope);
            json.WriteStartObject("counts");
            foreach (var status in DigestView.StatusesByUrgency)
            {
                json.WriteNumber(status.ToName(), run.ControlCounts.GetValueOrDefault(status));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
