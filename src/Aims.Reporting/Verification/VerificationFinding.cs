namespace Aims.Reporting.Verification;

/// <summary>What is wrong with a file or stored object.</summary>
public enum FindingKind
{
    /// <summary>Present, but its content differs from what was recorded.</summary>
    Altered,

    /// <summary>Recorded, but not there.</summary>
    Removed,

    /// <summary>There, but recorded nowhere.</summary>
    Added,

    /// <summary>The ledger's hash chain is broken: an entry altered, removed, inserted or reordered.</summary>
    ChainBroken,

    /// <summary>Cannot be read or parsed at all.</summary>
    Unreadable,

    /// <summary>Two records of the same thing disagree (manifest and bundle, item and ledger).</summary>
    Mismatch,

    /// <summary>A zip entry whose name could write outside the extraction folder, or that appears twice.</summary>
    Unsafe,

    /// <summary>A signature is missing, does not verify, or was made with a key other than the pinned one.</summary>
    Unsigned,
}

/// <summary>One problem, naming the file (bundle path) or object (store path) it concerns.</summary>
public sealed record VerificationFinding(string Name, FindingKind Kind, string Problem)
{
    public override string ToString() => $"{Name}: {Problem}";
}
