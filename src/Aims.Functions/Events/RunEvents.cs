using System.Text.Json.Nodes;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Azure.Messaging.ServiceBus;

namespace Aims.Functions.Events;

/// <summary>Where run-completed and gap-changed events go.</summary>
public interface IRunEvents
{
    /// <summary>True when events actually leave the app (Service Bus is configured).</summary>
    bool Enabled { get; }

    Task PublishAsync(IReadOnlyList<JsonObject> events, CancellationToken cancellationToken);
}

/// <summary>No <c>Aims:Events:ServiceBus</c>: events are not published.</summary>
public sealed class NoRunEvents : IRunEvents
{
    public bool Enabled => false;

    public Task PublishAsync(IReadOnlyList<JsonObject> events, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Publishes events to a Service Bus topic as CloudEvents in structured JSON mode (content type
/// <c>application/cloudevents+json</c>), the event type also set as the message subject so subscriptions can filter
/// on it, and the event id as the message id so the topic's duplicate detection drops a re-sent analysis.
/// </summary>
public sealed class ServiceBusRunEvents(ServiceBusSender sender) : IRunEvents
{
    private const int Chunk = 50;

    public bool Enabled => true;

    public async Task PublishAsync(IReadOnlyList<JsonObject> events, CancellationToken cancellationToken)
    {
        for (var i = 0; i < events.Count; i += Chunk)
        {
            var messages = events.Skip(i).Take(Chunk).Select(e => new ServiceBusMessage(BinaryData.FromString(e.ToJsonString()))
            {
                ContentType = RunEventFactory.ContentType,
                MessageId = e["id"]!.GetValue<string>(),
                Subject = e["type"]!.GetValue<string>(),
            }).ToList();
            await sender.SendMessagesAsync(messages, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Builds the CloudEvents (spec 1.0) the app publishes after an analysis.</summary>
public static class RunEventFactory
{
    public const string ContentType = "application/cloudevents+json";
    public const string RunCompleted = "org.aims-evidence.run.completed";
    public const string GapChanged = "org.aims-evidence.gap.changed";

    /// <summary>One run-completed event, then one gap-changed event per control, requirement or AI system whose status changed.</summary>
    public static IReadOnlyList<JsonObject> Create(string runId, string reason, GapReport report, IReadOnlyList<GapChange> changes, DateTimeOffset at)
    {
        var source = $"/aims-evidence/{Uri.EscapeDataString(report.Organization)}";
        var counts = new JsonObject();
        foreach (var (status, count) in report.ControlCounts.OrderBy(c => c.Key))
        {
            counts[status.ToName()] = count;
        }

        var events = new List<JsonObject>
        {
            Event(RunCompleted, source, runId, at, new JsonObject
            {
                ["runId"] = runId,
                ["reason"] = reason,
                ["asOf"] = CanonicalJson.Timestamp(report.AsOf),
                ["controls"] = counts,
                ["collectorProblems"] = report.CollectorProblems.Count,
                ["gapChanges"] = changes.Count,
            }),
        };
        events.AddRange(changes.Select(c => Event(GapChanged, source, $"{c.Scope}/{c.Id}", at, new JsonObject
        {
            ["runId"] = runId,
            ["scope"] = c.Scope,
            ["id"] = c.Id,
            ["from"] = c.From,
            ["to"] = c.To,
        }, runId)));
        return events;
    }

    private static JsonObject Event(string type, string source, string subject, DateTimeOffset at, JsonObject data, string? runId = null) => new()
    {
        ["specversion"] = "1.0",
        ["id"] = CanonicalJson.Sha256Hex($"{type}|{runId ?? subject}|{subject}")[..32],
        ["source"] = source,
        ["type"] = type,
        ["subject"] = subject,
        ["time"] = CanonicalJson.Timestamp(at),
        ["datacontenttype"] = "application/json",
        ["data"] = data,
    };
}
