using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Collection;

/// <summary>
/// One slice of collection work, small enough for one queue message / one invocation
/// (e.g. one source × a few repositories). Serializes to a JSON object.
/// </summary>
/// <param name="RunId">The run this job belongs to; part of every item id it writes.</param>
/// <param name="JobId">Stable within the run (e.g. <c>github:0003</c>); part of every item id.</param>
/// <param name="Source">The configured source name (<c>GitHub</c>, <c>Documents</c>).</param>
/// <param name="Period">The audit period populations are collected over.</param>
/// <param name="Parameters">Collector-specific slice (e.g. <c>repositories</c>: "org/a,org/b").</param>
public sealed record CollectionJob(string RunId, string JobId, string Source, EvidencePeriod Period, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Parameter(string name) => Parameters.GetValueOrDefault(name);

    public JsonObject ToJson()
    {
        var parameters = new JsonObject();
        foreach (var (k, v) in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parameters[k] = v;
        }

        return new JsonObject
        {
            ["type"] = "collect",
            ["runId"] = RunId,
            ["jobId"] = JobId,
            ["source"] = Source,
            ["periodFrom"] = CanonicalJson.Timestamp(Period.From),
            ["periodTo"] = CanonicalJson.Timestamp(Period.To),
            ["parameters"] = parameters,
        };
    }

    /// <summary>Reads a job message. Throws <see cref="FormatException"/> naming the missing or bad field.</summary>
    public static CollectionJob FromJson(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            throw new FormatException("A collection job must be a JSON object.");
        }

        string Req(string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw new FormatException($"A collection job needs a non-empty string '{name}'.");
        DateTimeOffset Time(string name) => DateTimeOffset.TryParse(Req(name), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new FormatException($"A collection job's '{name}' is not a timestamp.");

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o["parameters"] is JsonObject p)
        {
            foreach (var (k, v) in p)
            {
                parameters[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : throw new FormatException($"Job parameter '{k}' must be a string.");
            }
        }

        return new CollectionJob(Req("runId"), Req("jobId"), Req("source"), new EvidencePeriod(Time("periodFrom"), Time("periodTo")), parameters);
    }

    public static CollectionJob Parse(string json)
    {
        try
        {
            return FromJson(JsonNode.Parse(json));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"A collection job is not valid JSON: {ex.Message}", ex);
        }
    }
}
