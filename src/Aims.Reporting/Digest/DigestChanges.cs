using Aims.Evidence.Gaps;

namespace Aims.Reporting.Digest;

/// <summary>How one requirement or subject moved between two digests.</summary>
public enum ChangeKind
{
    /// <summary>Now missing, failing, stale or uncollectable, and it was not as bad before.</summary>
    NewlyFailing,

    /// <summary>Fresh now, but newly due to go stale before the next audit.</summary>
    NewlyExpiring,

    /// <summary>Was a gap (or expiring), now ok or waived.</summary>
    Resolved,

    /// <summary>Still a gap, but a less urgent one.</summary>
    Improved,

    /// <summary>The status is unchanged but the evidence itself changed (a new version of a document, a changed payload).</summary>
    EvidenceChanged,
}

/// <summary>One line of "changed since the previous digest".</summary>
public sealed record DigestChange(ChangeKind Kind, string RequirementId, string Owner, string? Subject, GapStatus? Before, GapStatus After, string? ItemId)
{
    public string Text
    {
        get
        {
            var what = Subject is null ? RequirementId : $"{RequirementId}: {Subject}";
            return Kind switch
            {
                ChangeKind.EvidenceChanged => $"{what}: new evidence ({After.ToName()})",
                _ when Before is null => $"{what}: new, {After.ToName()}",
                _ => $"{what}: {Before.Value.ToName()} → {After.ToName()}",
            };
        }
    }
}

/// <summary>The comparison of this digest with the previous one.</summary>
public sealed record DigestChanges(DigestSnapshot Previous, IReadOnlyList<DigestChange> Items)
{
    public IEnumerable<DigestChange> Of(ChangeKind kind) => Items.Where(i => i.Kind == kind);

    /// <summary>Compares requirement statuses, then the subjects of requirements whose status stayed the same.</summary>
    public static DigestChanges Between(DigestSnapshot previous, DigestSnapshot current)
    {
        var before = previous.Requirements.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var changes = new List<DigestChange>();
        foreach (var now in current.Requirements)
        {
            before.TryGetValue(now.Id, out var then);
            if (Classify(then?.Status, now.Status) is { } kind)
            {
                changes.Add(new DigestChange(kind, now.Id, now.Owner, null, then?.Status, now.Status, null));
                continue;
            }

            if (then is null)
            {
                continue;
            }

            var subjectsBefore = then.Subjects.ToDictionary(s => s.Key, StringComparer.Ordinal);
            foreach (var subject in now.Subjects)
            {
                if (!subjectsBefore.TryGetValue(subject.Key, out var old))
                {
                    continue;
                }

                if (Classify(old.Status, subject.Status) is { } subjectKind)
                {
                    changes.Add(new DigestChange(subjectKind, now.Id, now.Owner, subject.Name, old.Status, subject.Status, subject.ItemId));
                }
                else if (subject.Fingerprint is not null && old.Fingerprint is not null && subject.Fingerprint != old.Fingerprint)
                {
                    changes.Add(new DigestChange(ChangeKind.EvidenceChanged, now.Id, now.Owner, subject.Name, old.Status, subject.Status, subject.ItemId));
                }
            }
        }

        return new DigestChanges(previous, changes
            .OrderBy(c => c.Kind)
            .ThenBy(c => c.RequirementId, StringComparer.Ordinal)
            .ThenBy(c => c.Subject, StringComparer.Ordinal)
            .ToList());
    }

    private static ChangeKind? Classify(GapStatus? before, GapStatus after)
    {
        if (before == after)
        {
            return null;
        }

        var wasGood = before is null or GapStatus.Ok or GapStatus.NotApplicable;
        return after switch
        {
            >= GapStatus.CollectorError when before is null || before < after => ChangeKind.NewlyFailing,
            >= GapStatus.CollectorError => ChangeKind.Improved,
            GapStatus.Expiring when wasGood => ChangeKind.NewlyExpiring,
            GapStatus.Expiring => ChangeKind.Improved,
            _ when before is null => null,
            _ when before >= GapStatus.Expiring => ChangeKind.Resolved,
            _ => null,
        };
    }
}
