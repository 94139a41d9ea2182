namespace Aims.Evidence.Requirements;

/// <summary>A requirements or inventory file is invalid. The message names the file, the location and the reason.</summary>
public sealed class RequirementsException(SourceLocation location, string reason)
    : Exception($"{location}: {reason}")
{
    public SourceLocation Location { get; } = location;

    public string Reason { get; } = reason;
}
