using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aims.Functions.Invocation;

/// <summary>
/// One invocation as the Functions host POSTs it to a custom handler:
/// <c>{"Data": {binding: value}, "Metadata": {..., "sys": {"MethodName", "UtcNow", "RandGuid"}}}</c>
/// with the headers <c>X-Azure-Functions-InvocationId</c> and <c>X-Azure-Functions-HostVersion</c>.
/// </summary>
public sealed record InvocationRequest(string FunctionName, string InvocationId, string? HostVersion, JsonObject Data, JsonObject Metadata)
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";
    public const string HostVersionHeader = "X-Azure-Functions-HostVersion";

    /// <summary>The value of a trigger or input binding, or null.</summary>
    public JsonNode? Binding(string name) => Data[name];

    /// <summary>How many times a queue message has been delivered (1 on the first delivery).</summary>
    public int DequeueCount => Metadata["DequeueCount"] switch
    {
        JsonValue v when v.TryGetValue<int>(out var n) => n,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => 1,
    };

    /// <summary>The queue message id, when the trigger is a queue.</summary>
    public string? MessageId => Metadata["Id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : Metadata["MessageId"] is JsonValue m && m.TryGetValue<string>(out var ms) ? ms : null;

    /// <summary>The host's clock at the invocation (<c>Metadata.sys.UtcNow</c>), or null.</summary>
    public DateTimeOffset? HostUtcNow => Metadata["sys"]?["UtcNow"] is JsonValue v && v.TryGetValue<string>(out var s)
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : null;

    /// <summary>Reads the invocation body. Throws <see cref="FormatException"/> when it is not the host's payload.</summary>
    public static async Task<InvocationRequest> ReadAsync(HttpRequest request, string functionName, CancellationToken cancellationToken = default)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The invocation body of {functionName} is not JSON: {ex.Message}", ex);
        }

        if (body is not JsonObject root)
        {
            throw new FormatException($"The invocation body of {functionName} must be a JSON object with Data and Metadata.");
        }

        var invocationId = request.Headers[InvocationIdHeader].ToString();
        return new InvocationRequest(
            functionName,
            string.IsNullOrWhiteSpace(invocationId) ? request.HttpContext.TraceIdentifier : invocationId,
            request.Headers[HostVersionHeader].ToString() is { Length: > 0 } version ? version : null,
            root["Data"] as JsonObject ?? [],
            root["Metadata"] as JsonObject ?? []);
    }
}
