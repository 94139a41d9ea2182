using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;

namespace Aims.Evidence.Checks;

/// <summary>
/// Every alert tool of a security-alerts observation could be read. A tool that answered 403 or 404 reports no
/// alerts because it could not be asked, not because there are none, so it can never count as a pass.
/// </summary>
public sealed class AlertsReadableCheck : IEvidenceCheck
{
    private static readonly (string Fact, string Name)[] Tools = [("dependabot", "Dependabot"), ("codeScanning", "code scanning"), ("secretScanning", "secret scanning")];

    public string Name => "alerts-readable";

    public string Description => "Every security alert tool (Dependabot, code scanning, secret scanning) could be read.";

    public IReadOnlyList<string> Parameters => [];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var unreadable = Tools
            .Select(t => (t.Name, Tool: item.Facts[t.Fact] as JsonObject))
            .Where(t => t.Tool?["available"] is not JsonValue v || !v.TryGetValue<bool>(out var available) || !available)
            .Select(t => t.Tool?["reason"] is JsonValue r && r.TryGetValue<string>(out var reason) ? $"{t.Name} ({reason})" : $"{t.Name} (not recorded)")
            .ToList();
        return unreadable.Count == 0
            ? CheckResult.Pass(Name, $"{item.Subject.DisplayName}: every alert tool was read.")
            : CheckResult.Fail(Name, $"{item.Subject.DisplayName}: alerts could not be read from {string.Join(", ", unreadable)}; unread alerts are not a pass.");
    }
}
