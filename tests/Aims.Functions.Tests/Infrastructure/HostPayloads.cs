using System.Globalization;
using System.Text.Json.Nodes;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>
/// Invocation bodies shaped exactly as the Functions host sends them to a custom handler
/// (<c>{"Data": {...}, "Metadata": {...}}</c>), for the timer and Storage-queue triggers.
/// </summary>
public static class HostPayloads
{
    /// <summary>A timer tick. <paramref name="next"/> null sends <c>"ScheduleStatus": null</c> (no schedule monitor).</summary>
    public static JsonObject Timer(string function, DateTimeOffset utcNow, DateTimeOffset? last = null, DateTimeOffset? next = null, bool isPastDue = false, string binding = "tick")
    {
        JsonNode? status = next is null
            ? null
            : new JsonObject
            {
                ["Last"] = Local(last ?? next.Value.AddDays(-1)),
                ["Next"] = Local(next.Value),
                ["LastUpdated"] = Local(last ?? next.Value.AddDays(-1)),
            };
        var tick = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = status,
            ["IsPastDue"] = isPastDue,
        };
        return new JsonObject
        {
            ["Data"] = new JsonObject { [binding] = tick },
            ["Metadata"] = new JsonObject
            {
                [binding] = tick.DeepClone(),
                ["sys"] = Sys(function, utcNow),
            },
        };
    }

    /// <summary>
    /// A Storage-queue message as the host delivers it: the message text serialized again, so the binding's value is a
    /// JSON string whose content is the message's JSON.
    /// </summary>
    public static JsonObject QueueMessage(string function, string messageText, int dequeueCount, string messageId, DateTimeOffset utcNow, string binding = "job") =>
        Queue(function, JsonValue.Create(messageText), dequeueCount, messageId, utcNow, binding);

    /// <summary>A queue message whose value is a JSON object (some host versions and Service Bus deliver it so).</summary>
    public static JsonObject QueueObject(string function, JsonObject message, int dequeueCount, string messageId, DateTimeOffset utcNow, string binding = "job") =>
        Queue(function, message.DeepClone(), dequeueCount, messageId, utcNow, binding);

    private static JsonObject Queue(string function, JsonNode value, int dequeueCount, string messageId, DateTimeOffset utcNow, string binding) => new()
    {
        ["Data"] = new JsonObject { [binding] = value },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount,
            ["ExpirationTime"] = Utc(utcNow.AddDays(7)),
            ["Id"] = messageId,
            ["InsertionTime"] = Utc(utcNow.AddSeconds(-3)),
            ["NextVisibleTime"] = Utc(utcNow.AddSeconds(30)),
            ["PopReceipt"] = "AgAAAAMAAAAAAAAA" + dequeueCount.ToString(CultureInfo.InvariantCulture),
            ["sys"] = Sys(function, utcNow),
        },
    };

    private static JsonObject Sys(string function, DateTimeOffset utcNow) => new()
    {
        ["MethodName"] = function,
        ["UtcNow"] = utcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["RandGuid"] = "3f1c2a9e-5b7d-4e21-9a0c-7d2e4b6f8a11",
    };

    private static string Utc(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>The host serializes the status in its local time zone (UTC in Azure) with the offset.</summary>
    private static string Local(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
}
