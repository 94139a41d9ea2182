using System.Globalization;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;

namespace Aims.Evidence.Checks;

/// <summary>A document names who approved it and when.</summary>
public sealed class DocumentApprovedCheck : IEvidenceCheck
{
    public string Name => "document-approved";

    public string Description => "The document records who approved it and on which date.";

    public IReadOnlyList<string> Parameters => [];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var by = FactReader.GetString(item.Facts, "approvedBy");
        var on = FactReader.GetDate(item.Facts, "approvedOn");
        return (by, on) switch
        {
            (null, _) => CheckResult.Fail(Name, $"'{item.Subject.DisplayName}' names no approver (approved-by)."),
            (_, null) => CheckResult.Fail(Name, $"'{item.Subject.DisplayName}' has no approval date (approved-on)."),
            _ when on > asOf => CheckResult.Fail(Name, $"'{item.Subject.DisplayName}' claims approval on {on:yyyy-MM-dd}, after the analysis date."),
            _ => CheckResult.Pass(Name, $"Approved by {by} on {on:yyyy-MM-dd}."),
        };
    }
}

/// <summary>A document's own review-due date has not passed.</summary>
public sealed class ReviewNotOverdueCheck : IEvidenceCheck
{
    public string Name => "review-not-overdue";

    public string Description => "The document's review-due date is not in the past.";

    public IReadOnlyList<string> Parameters => [];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var due = FactReader.GetDate(item.Facts, "reviewDue");
        if (due is null)
        {
            return CheckResult.NotApplicable(Name, $"'{item.Subject.DisplayName}' sets no review-due date.");
        }

        return due < asOf
            ? CheckResult.Fail(Name, $"Review of '{item.Subject.DisplayName}' was due {due:yyyy-MM-dd}.")
            : CheckResult.Pass(Name, $"Next review due {due:yyyy-MM-dd}.");
    }
}

/// <summary>A numeric fact is at least a threshold (e.g. required approving reviews ≥ 2).</summary>
public sealed class FactAtLeastCheck : IEvidenceCheck
{
    public string Name => "fact-at-least";

    public string Description => "A numeric fact is at least 'min'.";

    public IReadOnlyList<string> Parameters => ["fact", "min"];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var fact = spec.Parameter("fact") ?? throw new InvalidOperationException("fact-at-least needs 'fact'.");
        var min = double.Parse(spec.Parameter("min") ?? "1", CultureInfo.InvariantCulture);
        var value = FactReader.GetNumber(item.Facts, fact);
        if (value is null)
        {
            return CheckResult.Fail(Name, $"{item.Subject.DisplayName}: '{fact}' is not recorded.");
        }

        return value >= min
            ? CheckResult.Pass(Name, $"{item.Subject.DisplayName}: {fact} = {value} (≥ {min}).")
            : CheckResult.Fail(Name, $"{item.Subject.DisplayName}: {fact} = {value}, below the required {min}.");
    }
}

/// <summary>A numeric fact is at most a threshold (e.g. merged PRs without independent approval ≤ 0).</summary>
public sealed class FactAtMostCheck : IEvidenceCheck
{
    public string Name => "fact-at-most";

    public string Description => "A numeric fact is at most 'max'.";

    public IReadOnlyList<string> Parameters => ["fact", "max"];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var fact = spec.Parameter("fact") ?? throw new InvalidOperationException("fact-at-most needs 'fact'.");
        var max = double.Parse(spec.Parameter("max") ?? "0", CultureInfo.InvariantCulture);
        var value = FactReader.GetNumber(item.Facts, fact);
        if (value is null)
        {
            return CheckResult.Fail(Name, $"{item.Subject.DisplayName}: '{fact}' is not recorded.");
        }

        return value <= max
            ? CheckResult.Pass(Name, $"{item.Subject.DisplayName}: {fact} = {value} (≤ {max}).")
            : CheckResult.Fail(Name, $"{item.Subject.DisplayName}: {fact} = {value}, above the allowed {max}.");
    }
}

/// <summary>A boolean fact is true (or equals 'value').</summary>
public sealed class FactIsCheck : IEvidenceCheck
{
    public string Name => "fact-is";

    public string Description => "A fact equals 'value' (default true).";

    public IReadOnlyList<string> Parameters => ["fact", "value"];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var fact = spec.Parameter("fact") ?? throw new InvalidOperationException("fact-is needs 'fact'.");
        var expected = spec.Parameter("value") ?? "true";
        var node = FactReader.Get(item.Facts, fact);
        var actual = node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
        return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            ? CheckResult.Pass(Name, $"{item.Subject.DisplayName}: {fact} is {expected}.")
            : CheckResult.Fail(Name, $"{item.Subject.DisplayName}: {fact} is {actual ?? "not recorded"}, expected {expected}.");
    }
}

/// <summary>An AI system's inventory entry names its owners, its oversight point when it acts alone, and its vendor when not built in-house.</summary>
public sealed class InventoryEntryCompleteCheck : IEvidenceCheck
{
    public string Name => "inventory-entry-complete";

    public string Description => "The AI system's inventory entry lists no missing fields.";

    public IReadOnlyList<string> Parameters => [];

    public CheckResult Evaluate(EvidenceItem item, CheckSpec spec, DateTimeOffset asOf)
    {
        var missing = (FactReader.Get(item.Facts, "missing") as System.Text.Json.Nodes.JsonArray)?.Select(m => m?.GetValue<string>()).OfType<string>().ToList() ?? [];
        return missing.Count == 0
            ? CheckResult.Pass(Name, $"{item.Subject.DisplayName}: inventory entry complete.")
            : CheckResult.Fail(Name, $"{item.Subject.DisplayName}: inventory entry lacks {string.Join(", ", missing)}.");
    }
}
