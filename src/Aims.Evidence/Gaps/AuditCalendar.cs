namespace Aims.Evidence.Gaps;

/// <summary>
/// Surveillance and recertification audit dates. "Expiring" is judged against the next audit after the analysis date;
/// the default audit period runs from the previous audit (or one year back) to the analysis date.
/// </summary>
public sealed class AuditCalendar(IEnumerable<DateTimeOffset> auditDates)
{
    public IReadOnlyList<DateTimeOffset> AuditDates { get; } = auditDates.Select(d => d.ToUniversalTime()).Order().ToArray();

    public static AuditCalendar Empty { get; } = new([]);

    public DateTimeOffset? NextAudit(DateTimeOffset asOf) => AuditDates.Cast<DateTimeOffset?>().FirstOrDefault(d => d >= asOf);

    public DateTimeOffset? PreviousAudit(DateTimeOffset asOf) => AuditDates.Cast<DateTimeOffset?>().LastOrDefault(d => d < asOf);

    public Items.EvidencePeriod DefaultPeriod(DateTimeOffset asOf) => new(PreviousAudit(asOf) ?? asOf.AddYears(-1), asOf);
}
