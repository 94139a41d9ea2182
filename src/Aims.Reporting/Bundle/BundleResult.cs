namespace Aims.Reporting.Bundle;

/// <summary>What a bundle holds.</summary>
/// <param name="ItemCount">Evidence items written.</param>
/// <param name="RawCount">Raw payloads written (each once).</param>
/// <param name="LedgerEntryCount">Ledger entries written as the chain proof.</param>
/// <param name="FileCount">Files in the zip, SHA256SUMS included.</param>
/// <param name="ContentBytes">Uncompressed size of every file.</param>
/// <param name="Warnings">
/// Problems found while bundling that the bundle carries as they are (an item whose content no longer matches its
/// ledger entry): the bundle's own verification will report them too.
/// </param>
public sealed record BundleResult(int ItemCount, int RawCount, long LedgerEntryCount, int FileCount, long ContentBytes, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether manifest.json and SHA256SUMS were signed.</summary>
    public bool Signed { get; init; }

    /// <summary>Signed ledger checkpoints the ledger proof runs to.</summary>
    public int CheckpointCount { get; init; }
}
