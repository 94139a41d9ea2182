using Aims.Evidence.Store;

namespace Aims.Reporting.Signing;

/// <summary>
/// Signs the head of every ledger segment and stores the checkpoints create-only. Run at the end of every collection
/// job and CLI run: a head that is already checkpointed (nothing written since) costs one failed create and no new file.
/// </summary>
public sealed class LedgerCheckpointWriter(IEvidenceStore store, IEvidenceSigner signer, TimeProvider time, string writer)
{
    public IEvidenceSigner Signer => signer;

    /// <summary>Checkpoints every segment head; returns the checkpoints newly written.</summary>
    public async Task<IReadOnlyList<LedgerCheckpoint>> WriteAsync(CancellationToken cancellationToken = default)
    {
        var written = new List<LedgerCheckpoint>();
        foreach (var head in await store.ReadLedgerHeadsAsync(cancellationToken).ConfigureAwait(false))
        {
            var checkpoint = await LedgerCheckpoint.SignAsync(head, time.GetUtcNow(), writer, signer, cancellationToken).ConfigureAwait(false);
            if (await store.PutCheckpointAsync(checkpoint.Name, checkpoint.ToBytes(), cancellationToken).ConfigureAwait(false) == WriteOutcome.Created)
            {
                written.Add(checkpoint);
            }
        }

        return written;
    }
}
