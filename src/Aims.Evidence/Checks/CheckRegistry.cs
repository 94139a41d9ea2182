namespace Aims.Evidence.Checks;

/// <summary>The checks requirements can name. Extend by passing more checks to the constructor.</summary>
public sealed class CheckRegistry
{
    private readonly Dictionary<string, IEvidenceCheck> _checks;

    public CheckRegistry(IEnumerable<IEvidenceCheck> checks) =>
        _checks = checks.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static CheckRegistry Default { get; } = new(
    [
        new DocumentApprovedCheck(),
        new ReviewNotOverdueCheck(),
        new FactAtLeastCheck(),
        new FactAtMostCheck(),
        new FactIsCheck(),
        new InventoryEntryCompleteCheck(),
        new AlertsReadableCheck(),
    ]);

    public IEnumerable<IEvidenceCheck> All => _checks.Values;

    public IEvidenceCheck? Find(string name) => _checks.GetValueOrDefault(name);
}
