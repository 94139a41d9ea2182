namespace Aims.Collectors.Sources;

/// <summary>
/// What a collector remembers between runs so the next run can ask only for changes: a Graph <c>deltaLink</c>, a
/// ticket population with the time it was read. State is an optimization, never evidence: a collector that finds no
/// state, or state it cannot read, does a full read, and evidence never depends on state being there.
/// </summary>
public interface ICollectorState
{
    /// <summary>Opens what <see cref="SaveAsync"/> last kept under <paramref name="key"/>, or null.</summary>
    Task<Stream?> OpenAsync(string source, string key, CancellationToken cancellationToken = default);

    /// <summary>Replaces what is kept under <paramref name="key"/>. Readers see the old state or the new, never a mix.</summary>
    Task SaveAsync(string source, string key, Stream content, CancellationToken cancellationToken = default);
}
