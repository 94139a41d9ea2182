namespace Aims.Evidence.Checks;

public enum CheckOutcome
{
    Pass,
    Fail,
    NotApplicable,
}

/// <summary>What a check concluded about one evidence item, and why.</summary>
public sealed record CheckResult(string Check, CheckOutcome Outcome, string Reason)
{
    public static CheckResult Pass(string check, string reason) => new(check, CheckOutcome.Pass, reason);

    public static CheckResult Fail(string check, string reason) => new(check, CheckOutcome.Fail, reason);

    public static CheckResult NotApplicable(string check, string reason) => new(check, CheckOutcome.NotApplicable, reason);
}
