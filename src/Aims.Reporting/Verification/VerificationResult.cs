namespace Aims.Reporting.Verification;

/// <summary>How much was checked.</summary>
public sealed record VerificationCounts(long Files, long Items, long RawPayloads, long LedgerEntries);

/// <summary>The outcome of verifying a bundle or a store: intact when nothing was found.</summary>
/// <param name="Target">The bundle file or store that was verified.</param>
/// <param name="Findings">Every problem found, ordered by name.</param>
/// <param name="Checked">What was checked.</param>
public sealed record VerificationResult(string Target, IReadOnlyList<VerificationFinding> Findings, VerificationCounts Checked)
{
    public bool IsIntact => Findings.Count == 0;

    /// <summary>What the verifier relied on (signatures, keys, checkpoints) — facts for the reader, not problems.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Progress of a store verification.</summary>
public sealed record VerificationProgress(long LedgerEntries, long Items, long RawPayloads);
