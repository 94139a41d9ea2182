using Aims.Evidence.Items;
using Aims.Evidence.Requirements;

namespace Aims.Evidence.Checks;

/// <summary>
/// Judges one stored evidence item against an expectation. Checks read only the item (never call out);
/// collectors never judge.
/// </summary>
public interface IEvidenceCheck
{
    string Name { get; }

    string Description { get; }

    /// <summary>Parameter names the check accepts; the requirements loader rejects any other.</summary>
    IReadOnlyList<string> Parameters { get; }

    CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf);
}
