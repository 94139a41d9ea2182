using System.Text.Json.Nodes;

namespace Aims.Functions.Invocation;

/// <summary>
/// The handler's answer: <c>{"Outputs": {binding: value}, "Logs": [...], "ReturnValue": null}</c>. Any non-2xx status
/// fails the invocation (a queue message is then retried), so <see cref="Retry"/> is used only when a retry can help.
/// </summary>
public sealed record InvocationResult(int StatusCode, JsonObject Outputs, IReadOnlyList<string> Logs, string? Error = null)
{
    public static InvocationResult Ok(InvocationLog log, JsonObject? outputs = null) => new(StatusCodes.Status200OK, outputs ?? [], log.Lines);

    /// <summary>A failure the host should retry (a transient HTTP or storage error).</summary>
    public static InvocationResult Retry(InvocationLog log, string error) => new(StatusCodes.Status503ServiceUnavailable, [], log.Lines, error);

    public JsonObject ToJson()
    {
        var logs = new JsonArray();
        foreach (var line in Logs)
        {
            logs.Add(line);
        }

        var json = new JsonObject { ["Outputs"] = Outputs.DeepClone(), ["Logs"] = logs, ["ReturnValue"] = null };
        if (Error is not null)
        {
            json["Error"] = Error;
        }

        return json;
    }

    public Task WriteAsync(HttpResponse response, CancellationToken cancellationToken = default)
    {
        response.StatusCode = StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(ToJson().ToJsonString(), cancellationToken);
    }
}
