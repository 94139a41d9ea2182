using Aims.Evidence.Items;

namespace Aims.Evidence.Collection;

/// <summary>Decides which AI systems a subject belongs to (from the inventory's footprint), for every collector alike.</summary>
public interface IAiSystemAttribution
{
    IReadOnlyList<string> AttributeTo(Subject subject, System.Text.Json.Nodes.JsonObject facts);
}

/// <summary>No inventory configured: subjects keep whatever the collector said.</summary>
public sealed class NoAttribution : IAiSystemAttribution
{
    public static NoAttribution Instance { get; } = new();

    public IReadOnlyList<string> AttributeTo(Subject subject, System.Text.Json.Nodes.JsonObject facts) => subject.AiSystemIds;
}
