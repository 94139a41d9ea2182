namespace Aims.Reporting.Bundle;

/// <summary>Where a bundle build is.</summary>
public enum BundleStage
{
    /// <summary>Walking the ledger, writing the selected items and their raw payloads.</summary>
    Evidence,

    /// <summary>Writing the ledger proof.</summary>
    Ledger,

    /// <summary>Writing controls.csv, index.html, manifest.json and SHA256SUMS.</summary>
    Index,

    Done,
}

/// <summary>A progress report from <see cref="BundleWriter"/>.</summary>
public sealed record BundleProgress(BundleStage Stage, long LedgerEntriesRead, int ItemsWritten, int RawPayloadsWritten, long BytesWritten);
