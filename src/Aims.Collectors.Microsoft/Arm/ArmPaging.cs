using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// Whether a listing was read to its end. A listing that stopped early keeps what it read and says so in its facts
/// (<c>complete: false</c>, <c>incompleteReason</c>), so a partial population is never taken for the whole.
/// </summary>
internal sealed class ArmPaging
{
    public string? IncompleteReason { get; private set; }

    public bool Complete => IncompleteReason is null;

    public void Stop(string reason) => IncompleteReason ??= reason;

    /// <summary>Adds <c>complete</c> and, when incomplete, <c>incompleteReason</c> to <paramref name="facts"/>.</summary>
    public JsonObject Describe(JsonObject facts)
    {
        facts["complete"] = Complete;
        if (IncompleteReason is { } reason)
        {
            facts["incompleteReason"] = reason;
        }

        return facts;
    }

    /// <summary>" (listing incomplete)" for summaries, or nothing.</summary>
    public string SummarySuffix => Complete ? "" : " (listing incomplete)";
}
