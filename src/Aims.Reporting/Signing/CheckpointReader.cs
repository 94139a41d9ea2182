using System.Runtime.CompilerServices;
using Aims.Evidence.Store;
using Aims.Reporting.IO;

namespace Aims.Reporting.Signing;

/// <summary>A stored checkpoint: parsed, or the reason it could not be.</summary>
public sealed record StoredCheckpoint(string Name, byte[] Bytes, LedgerCheckpoint? Checkpoint, string? Problem);

/// <summary>Reads the signed checkpoints of a store (each a few hundred bytes; one per segment per job).</summary>
public static class CheckpointReader
{
    private const int MaxBytes = 64 * 1024;

    public static async IAsyncEnumerable<StoredCheckpoint> ReadAllAsync(IEvidenceStore store, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var name in store.ListCheckpointNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            var stream = await store.OpenCheckpointAsync(name, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                continue; // listed then gone: the verifier names missing heads through the ledger, not through listings
            }

            byte[]? bytes;
            await using (stream.ConfigureAwait(false))
            {
                bytes = await BoundedRead.ReadAsync(stream, MaxBytes, cancellationToken).ConfigureAwait(false);
            }

            if (bytes is null)
            {
                yield return new StoredCheckpoint(name, [], null, $"is larger than {MaxBytes / 1024} KiB, which no checkpoint is.");
                continue;
            }

            LedgerCheckpoint? parsed = null;
            string? problem = null;
            try
            {
                parsed = LedgerCheckpoint.Parse(bytes);
            }
            catch (FormatException ex)
            {
                problem = ex.Message;
            }

            yield return new StoredCheckpoint(name, bytes, parsed, problem);
        }
    }
}
